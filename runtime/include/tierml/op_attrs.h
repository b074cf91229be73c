/* Operator attributes: the builtin options of the .tflite schema, decoded.
 * Defaults are the schema's defaults. Kernels' prepare functions take these,
 * so the interpreter (decoding the blob on the device) and the compiler
 * (decoding on the host) feed the kernels the same thing. */
#ifndef TIERML_OP_ATTRS_H_
#define TIERML_OP_ATTRS_H_

#include <stdint.h>

#include "tierml/builtin_ops.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TM_MAX_SQUEEZE_DIMS 8

/* Values of the schema's Padding enum. */
typedef enum { kTmPaddingSame = 0, kTmPaddingValid = 1 } TmPadding;

/* Values of the schema's ActivationFunctionType enum. */
typedef enum {
  kTmActNone = 0,
  kTmActRelu = 1,
  kTmActReluN1To1 = 2,
  kTmActRelu6 = 3,
  kTmActTanh = 4,
  kTmActSignBit = 5,
} TmActivation;

typedef struct {
  TmPadding padding;
  int32_t stride_w, stride_h;
  int32_t dilation_w, dilation_h;
  TmActivation activation;
} TmConvAttrs;

typedef struct {
  TmPadding padding;
  int32_t stride_w, stride_h;
  int32_t depth_multiplier;
  int32_t dilation_w, dilation_h;
  TmActivation activation;
} TmDepthwiseConvAttrs;

typedef struct {
  TmPadding padding;
  int32_t stride_w, stride_h;
  TmActivation activation;
} TmTransposeConvAttrs;

typedef struct {
  TmActivation activation;
  int32_t keep_num_dims; /* bool */
} TmFullyConnectedAttrs;

typedef struct {
  TmPadding padding;
  int32_t stride_w, stride_h;
  int32_t filter_w, filter_h;
  TmActivation activation;
} TmPoolAttrs;

typedef struct {
  float beta;
} TmSoftmaxAttrs;

/* ADD, SUB and MUL. */
typedef struct {
  TmActivation activation;
  int32_t pot_scale_int16; /* bool; schema default true */
} TmElementwiseAttrs;

typedef struct {
  int32_t axis;
  TmActivation activation;
} TmConcatenationAttrs;

typedef struct {
  int32_t num_squeeze_dims;
  int32_t squeeze_dims[TM_MAX_SQUEEZE_DIMS];
} TmSqueezeAttrs;

typedef struct {
  int32_t keep_dims; /* bool */
} TmReducerAttrs;

typedef struct {
  int32_t begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask;
  int32_t offset; /* bool */
} TmStridedSliceAttrs;

typedef struct {
  float alpha;
} TmLeakyReluAttrs;

typedef struct {
  int32_t rank;
  TmActivation activation;
} TmSvdfAttrs;

typedef struct {
  TmActivation activation;
  float cell_clip;
  float proj_clip;
  int32_t time_major;              /* bool */
  int32_t asymmetric_quantize_inputs; /* bool */
  int32_t diagonal_recurrent_tensors; /* bool */
} TmLstmAttrs;

/* One operator's decoded options; which member is valid follows from op. */
typedef struct {
  TmBuiltinOp op;
  union {
    TmConvAttrs conv;
    TmDepthwiseConvAttrs depthwise;
    TmTransposeConvAttrs transpose_conv;
    TmFullyConnectedAttrs fully_connected;
    TmPoolAttrs pool;
    TmSoftmaxAttrs softmax;
    TmElementwiseAttrs elementwise;
    TmConcatenationAttrs concatenation;
    TmSqueezeAttrs squeeze;
    TmReducerAttrs reducer;
    TmStridedSliceAttrs strided_slice;
    TmLeakyReluAttrs leaky_relu;
    TmSvdfAttrs svdf;
    TmLstmAttrs lstm;
  } u;
} TmOpAttrs;

#ifdef __cplusplus
}
#endif

#endif /* TIERML_OP_ATTRS_H_ */
