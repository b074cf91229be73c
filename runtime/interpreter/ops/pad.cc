// PAD: paddings must be constant; the fill is TFLM's (output zero point for
// int8, 0 otherwise). PADV2 (pad_v2.cc) reuses this glue.
#include "kernels/pad.h"

#include "interpreter/ops/pad_glue.h"
#include "interpreter/ops/registrations.h"

namespace tierml {

TmStatus pad_glue_prepare(OpContext& ctx) {
  const TmTensor* input = ctx.input(0);
  const TmTensor* paddings = ctx.input(1);
  const TmTensor* constant = ctx.num_inputs() == 3 ? ctx.input(2) : nullptr;
  const TmTensor* output = ctx.output(0);
  if (input == nullptr || paddings == nullptr || output == nullptr ||
      ctx.num_inputs() > 3) {
    return ctx.fail(kTmErrorMalformedModel,
                    "expects input, paddings, optional constant and 1 output");
  }
  if (paddings->data == nullptr) {
    return ctx.fail(kTmErrorUnsupported,
                    "non-constant paddings are not supported");
  }
  if (paddings->type != kTmInt32 && paddings->type != kTmInt64) {
    return ctx.fail(kTmErrorUnsupported,
                    "paddings must be INT32 or INT64, got %s",
                    tm_type_name(paddings->type));
  }
  TmPadParams* params =
      static_cast<TmPadParams*>(ctx.allocate_persistent(sizeof(TmPadParams)));
  if (params == nullptr) return kTmErrorArenaTooSmall;
  const TmStatus status =
      tm_pad_prepare(input, paddings, constant, output, params);
  if (status == kTmErrorUnsupported) {
    return ctx.fail(status, "%s input (rank %d) is not supported",
                    tm_type_name(input->type), input->shape.rank);
  }
  if (status != kTmOk) {
    return ctx.fail(status,
                    "inconsistent tensors: input %s rank %d, output %s rank "
                    "%d, paddings of %d values (need [rank, 2], >= 0, and "
                    "output = input + paddings), constant of the input type "
                    "with the output's quantization",
                    tm_type_name(input->type), input->shape.rank,
                    tm_type_name(output->type), output->shape.rank,
                    tm_shape_elements(&paddings->shape));
  }
  ctx.set_op_data(params);
  return kTmOk;
}

TmStatus pad_glue_invoke(OpContext& ctx) {
  const TmPadParams* p = static_cast<const TmPadParams*>(ctx.op_data());
  const TmTensor* input = ctx.input(0);
  const TmTensor* constant = ctx.num_inputs() == 3 ? ctx.input(2) : nullptr;
  const void* fill = constant != nullptr ? constant->data : nullptr;
  void* out = ctx.output(0)->data;
  switch (input->type) {
    case kTmInt8:
      tm_pad_s8(p, static_cast<const int8_t*>(input->data),
                fill ? *static_cast<const int8_t*>(fill)
                     : static_cast<int8_t>(p->default_pad),
                static_cast<int8_t*>(out));
      return kTmOk;
    case kTmInt16:
      tm_pad_s16(p, static_cast<const int16_t*>(input->data),
                 fill ? *static_cast<const int16_t*>(fill)
                      : static_cast<int16_t>(p->default_pad),
                 static_cast<int16_t*>(out));
      return kTmOk;
    case kTmInt32:
      tm_pad_i32(p, static_cast<const int32_t*>(input->data),
                 fill ? *static_cast<const int32_t*>(fill) : p->default_pad,
                 static_cast<int32_t*>(out));
      return kTmOk;
    case kTmFloat32:
      tm_pad_f32(p, static_cast<const float*>(input->data),
                 fill ? *static_cast<const float*>(fill) : 0.0f,
                 static_cast<float*>(out));
      return kTmOk;
    default:
      return ctx.fail(kTmErrorUnsupported, "%s is not supported",
                      tm_type_name(input->type));
  }
}

const OpRegistration kOpPad = {kTmOpPad, pad_glue_prepare, pad_glue_invoke,
                               nullptr};

}  // namespace tierml
