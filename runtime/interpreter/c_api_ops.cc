// One getter per operator, so that a firmware built with
// -ffunction-sections/--gc-sections links only the kernels it adds.
#include "interpreter/builtin_op_resolver.h"
#include "interpreter/op_resolver.h"
#include "interpreter/ops/registrations.h"
#include "tierml/interpreter.h"

namespace {

const TmOpRegistration* as_c(const tierml::OpRegistration& registration) {
  return reinterpret_cast<const TmOpRegistration*>(&registration);
}

}  // namespace

extern "C" {

TmStatus tm_resolver_add_builtin(TmOpResolver* resolver, TmBuiltinOp op) {
  return reinterpret_cast<tierml::OpResolver*>(resolver->storage.bytes)
      ->add(tierml::builtin_op_registration(op));
}

const TmOpRegistration* tm_op_add(void) { return as_c(tierml::kOpAdd); }
const TmOpRegistration* tm_op_average_pool_2d(void) {
  return as_c(tierml::kOpAveragePool2d);
}
const TmOpRegistration* tm_op_concatenation(void) {
  return as_c(tierml::kOpConcatenation);
}
const TmOpRegistration* tm_op_conv_2d(void) { return as_c(tierml::kOpConv2d); }
const TmOpRegistration* tm_op_depthwise_conv_2d(void) {
  return as_c(tierml::kOpDepthwiseConv2d);
}
const TmOpRegistration* tm_op_dequantize(void) {
  return as_c(tierml::kOpDequantize);
}
const TmOpRegistration* tm_op_expand_dims(void) {
  return as_c(tierml::kOpExpandDims);
}
const TmOpRegistration* tm_op_fully_connected(void) {
  return as_c(tierml::kOpFullyConnected);
}
const TmOpRegistration* tm_op_hard_swish(void) {
  return as_c(tierml::kOpHardSwish);
}
const TmOpRegistration* tm_op_leaky_relu(void) {
  return as_c(tierml::kOpLeakyRelu);
}
const TmOpRegistration* tm_op_logistic(void) {
  return as_c(tierml::kOpLogistic);
}
const TmOpRegistration* tm_op_max_pool_2d(void) {
  return as_c(tierml::kOpMaxPool2d);
}
const TmOpRegistration* tm_op_mean(void) { return as_c(tierml::kOpMean); }
const TmOpRegistration* tm_op_mul(void) { return as_c(tierml::kOpMul); }
const TmOpRegistration* tm_op_pad(void) { return as_c(tierml::kOpPad); }
const TmOpRegistration* tm_op_pad_v2(void) { return as_c(tierml::kOpPadV2); }
const TmOpRegistration* tm_op_prelu(void) { return as_c(tierml::kOpPrelu); }
const TmOpRegistration* tm_op_quantize(void) {
  return as_c(tierml::kOpQuantize);
}
const TmOpRegistration* tm_op_relu(void) { return as_c(tierml::kOpRelu); }
const TmOpRegistration* tm_op_relu6(void) { return as_c(tierml::kOpRelu6); }
const TmOpRegistration* tm_op_reshape(void) { return as_c(tierml::kOpReshape); }
const TmOpRegistration* tm_op_softmax(void) { return as_c(tierml::kOpSoftmax); }
const TmOpRegistration* tm_op_squeeze(void) { return as_c(tierml::kOpSqueeze); }
const TmOpRegistration* tm_op_strided_slice(void) {
  return as_c(tierml::kOpStridedSlice);
}
const TmOpRegistration* tm_op_sub(void) { return as_c(tierml::kOpSub); }
const TmOpRegistration* tm_op_svdf(void) { return as_c(tierml::kOpSvdf); }
const TmOpRegistration* tm_op_tanh(void) { return as_c(tierml::kOpTanh); }
const TmOpRegistration* tm_op_transpose(void) {
  return as_c(tierml::kOpTranspose);
}
const TmOpRegistration* tm_op_transpose_conv(void) {
  return as_c(tierml::kOpTransposeConv);
}
const TmOpRegistration* tm_op_unidirectional_sequence_lstm(void) {
  return as_c(tierml::kOpUnidirectionalSequenceLstm);
}

}  // extern "C"
