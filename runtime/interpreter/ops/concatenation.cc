// CONCATENATION: any number of inputs; quantized inputs must share the
// output's quantization (TFLM copies them unchanged).
#include "kernels/concatenation.h"

#include "interpreter/op_context.h"
#include "interpreter/ops/registrations.h"

namespace tierml {
namespace {

struct ConcatData {
  TmConcatenationParams params;
  const void** inputs;  // data pointers, filled at every invoke
};

TmStatus prepare(OpContext& ctx) {
  const int32_t n = ctx.num_inputs();
  const TmTensor* output = ctx.output(0);
  if (n < 1 || output == nullptr) {
    return ctx.fail(kTmErrorMalformedModel,
                    "expects at least 1 input and 1 output");
  }
  ConcatData* data =
      static_cast<ConcatData*>(ctx.allocate_persistent(sizeof(ConcatData)));
  int32_t* inner = static_cast<int32_t*>(
      ctx.allocate_persistent(sizeof(int32_t) * static_cast<size_t>(n)));
  const TmTensor** inputs = static_cast<const TmTensor**>(
      ctx.allocate_persistent(sizeof(void*) * static_cast<size_t>(n)));
  if (data == nullptr || inner == nullptr || inputs == nullptr) {
    return kTmErrorArenaTooSmall;
  }
  for (int32_t i = 0; i < n; ++i) {
    inputs[i] = ctx.input(i);
    if (inputs[i] == nullptr) {
      return ctx.fail(kTmErrorMalformedModel, "input %d is missing", i);
    }
  }
  const TmConcatenationAttrs& attrs = ctx.attrs().u.concatenation;
  const TmStatus status =
      tm_concatenation_prepare(&attrs, inputs, n, output, inner, &data->params);
  if (status == kTmErrorUnsupported) {
    return ctx.fail(status,
                    "not supported: %s output of rank %d, fused activation "
                    "%d (only NONE), or quantized inputs whose scale/zero "
                    "point differ from the output's (TFLM does not "
                    "requantize)",
                    tm_type_name(output->type), output->shape.rank,
                    static_cast<int32_t>(attrs.activation));
  }
  if (status != kTmOk) {
    return ctx.fail(status,
                    "the %d inputs do not concatenate along axis %d into the "
                    "rank-%d %s output",
                    n, attrs.axis, output->shape.rank,
                    tm_type_name(output->type));
  }
  data->inputs = static_cast<const void**>(
      ctx.allocate_persistent(sizeof(void*) * static_cast<size_t>(n)));
  if (data->inputs == nullptr) return kTmErrorArenaTooSmall;
  ctx.set_op_data(data);
  return kTmOk;
}

template <typename T>
void run(const ConcatData* data, void* out,
         void (*kernel)(const TmConcatenationParams*, const void* const*, T*)) {
  kernel(&data->params, data->inputs, static_cast<T*>(out));
}

TmStatus invoke(OpContext& ctx) {
  ConcatData* data = static_cast<ConcatData*>(ctx.op_data());
  for (int32_t i = 0; i < data->params.num_inputs; ++i) {
    data->inputs[i] = ctx.input(i)->data;
  }
  TmTensor* output = ctx.output(0);
  switch (output->type) {
    case kTmInt8:
      run<int8_t>(data, output->data, tm_concatenation_s8);
      return kTmOk;
    case kTmInt16:
      run<int16_t>(data, output->data, tm_concatenation_s16);
      return kTmOk;
    case kTmInt32:
      run<int32_t>(data, output->data, tm_concatenation_i32);
      return kTmOk;
    case kTmFloat32:
      run<float>(data, output->data, tm_concatenation_f32);
      return kTmOk;
    default:
      return ctx.fail(kTmErrorUnsupported, "%s is not supported",
                      tm_type_name(output->type));
  }
}

}  // namespace

const OpRegistration kOpConcatenation = {kTmOpConcatenation, prepare, invoke,
                                         nullptr};

}  // namespace tierml
