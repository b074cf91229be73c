// One registration per operator, each defined in ops/<op>.cc. A firmware
// adds only the ones its models use to its resolver, so the linker drops the
// kernels it never registered.
#ifndef TIERML_INTERPRETER_OPS_REGISTRATIONS_H_
#define TIERML_INTERPRETER_OPS_REGISTRATIONS_H_

#include "interpreter/op_context.h"

namespace tierml {

extern const OpRegistration kOpAdd;
extern const OpRegistration kOpAveragePool2d;
extern const OpRegistration kOpConcatenation;
extern const OpRegistration kOpConv2d;
extern const OpRegistration kOpDepthwiseConv2d;
extern const OpRegistration kOpDequantize;
extern const OpRegistration kOpExpandDims;
extern const OpRegistration kOpFullyConnected;
extern const OpRegistration kOpHardSwish;
extern const OpRegistration kOpLeakyRelu;
extern const OpRegistration kOpLogistic;
extern const OpRegistration kOpMaxPool2d;
extern const OpRegistration kOpMean;
extern const OpRegistration kOpMul;
extern const OpRegistration kOpPad;
extern const OpRegistration kOpPadV2;
extern const OpRegistration kOpPrelu;
extern const OpRegistration kOpQuantize;
extern const OpRegistration kOpRelu;
extern const OpRegistration kOpRelu6;
extern const OpRegistration kOpReshape;
extern const OpRegistration kOpSoftmax;
extern const OpRegistration kOpSqueeze;
extern const OpRegistration kOpStridedSlice;
extern const OpRegistration kOpSub;
extern const OpRegistration kOpSvdf;
extern const OpRegistration kOpTanh;
extern const OpRegistration kOpTranspose;
extern const OpRegistration kOpTransposeConv;
extern const OpRegistration kOpUnidirectionalSequenceLstm;

}  // namespace tierml

#endif  // TIERML_INTERPRETER_OPS_REGISTRATIONS_H_
