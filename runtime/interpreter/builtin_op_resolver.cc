#include "interpreter/builtin_op_resolver.h"

#include "interpreter/ops/registrations.h"

namespace tierml {
namespace {

const OpRegistration* const kBuiltinOps[] = {
    &kOpAdd,
    &kOpAveragePool2d,
    &kOpConcatenation,
    &kOpConv2d,
    &kOpDepthwiseConv2d,
    &kOpDequantize,
    &kOpExpandDims,
    &kOpFullyConnected,
    &kOpHardSwish,
    &kOpLeakyRelu,
    &kOpLogistic,
    &kOpMaxPool2d,
    &kOpMean,
    &kOpMul,
    &kOpPad,
    &kOpPadV2,
    &kOpPrelu,
    &kOpQuantize,
    &kOpRelu,
    &kOpRelu6,
    &kOpReshape,
    &kOpSoftmax,
    &kOpSqueeze,
    &kOpStridedSlice,
    &kOpSub,
    &kOpSvdf,
    &kOpTanh,
    &kOpTranspose,
    &kOpTransposeConv,
    &kOpUnidirectionalSequenceLstm,
};

}  // namespace

TmStatus add_builtin_ops(OpResolver& resolver) {
  for (const OpRegistration* registration : kBuiltinOps) {
    const TmStatus status = resolver.add(registration);
    if (status != kTmOk) return status;
  }
  return kTmOk;
}

const OpRegistration* builtin_op_registration(int32_t op) {
  for (const OpRegistration* registration : kBuiltinOps) {
    if (static_cast<int32_t>(registration->op) == op) return registration;
  }
  return nullptr;
}

}  // namespace tierml
