/* Operator codes of the .tflite schema (BuiltinOperator), for the operators
 * tierml runs. The numbering is the file format's, so codes read from a model
 * need no translation. */
#ifndef TIERML_BUILTIN_OPS_H_
#define TIERML_BUILTIN_OPS_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  kTmOpAdd = 0,
  kTmOpAveragePool2d = 1,
  kTmOpConcatenation = 2,
  kTmOpConv2d = 3,
  kTmOpDepthwiseConv2d = 4,
  kTmOpDequantize = 6,
  kTmOpFullyConnected = 9,
  kTmOpLogistic = 14,
  kTmOpMaxPool2d = 17,
  kTmOpMul = 18,
  kTmOpRelu = 19,
  kTmOpRelu6 = 21,
  kTmOpReshape = 22,
  kTmOpSoftmax = 25,
  kTmOpSvdf = 27,
  kTmOpTanh = 28,
  kTmOpPad = 34,
  kTmOpTranspose = 39,
  kTmOpMean = 40,
  kTmOpSub = 41,
  kTmOpSqueeze = 43,
  kTmOpUnidirectionalSequenceLstm = 44,
  kTmOpStridedSlice = 45,
  kTmOpPrelu = 54,
  kTmOpPadV2 = 60,
  kTmOpTransposeConv = 67,
  kTmOpExpandDims = 70,
  kTmOpLeakyRelu = 98,
  kTmOpQuantize = 114,
  kTmOpHardSwish = 117,
} TmBuiltinOp;

/* Schema name of any BuiltinOperator code ("CONV_2D"), including the ones
 * tierml does not run, so errors can name them; "UNKNOWN" if out of range. */
const char* tm_builtin_op_name(int32_t code);

/* 1 if code is one of the TmBuiltinOp values above (an operator tierml
 * runs), 0 otherwise. */
int tm_builtin_op_is_supported(int32_t code);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_BUILTIN_OPS_H_ */
