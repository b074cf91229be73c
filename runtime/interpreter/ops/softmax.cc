// SOFTMAX: see kernels/softmax.h.
#include "kernels/softmax.h"

#include "interpreter/ops/registrations.h"
#include "interpreter/ops/shape_text.h"

namespace tierml {
namespace {

bool quantized_per_tensor(const TmTensor* t) {
  return t->quant.count == 1 && t->quant.scales != nullptr;
}

// Names the first requirement of TFLite's softmax the node breaks.
TmStatus explain_failure(OpContext& ctx, TmStatus status) {
  const TmTensor* in = ctx.input(0);
  const TmTensor* out = ctx.output(0);
  const char* in_type = tm_type_name(in->type);
  const char* out_type = tm_type_name(out->type);
  if (status == kTmErrorBadArgument) {
    return ctx.fail(status, "input %s and output %s must have equal shapes",
                    ShapeText(in->shape).c_str(),
                    ShapeText(out->shape).c_str());
  }
  const bool supported_types =
      (in->type == kTmFloat32 && out->type == kTmFloat32) ||
      (in->type == kTmInt8 &&
       (out->type == kTmInt8 || out->type == kTmInt16)) ||
      (in->type == kTmInt16 && out->type == kTmInt16);
  if (!supported_types) {
    return ctx.fail(status,
                    "%s input with %s output is not supported (FLOAT32->"
                    "FLOAT32, INT8->INT8, INT8->INT16, INT16->INT16)",
                    in_type, out_type);
  }
  if (!quantized_per_tensor(in) || !quantized_per_tensor(out)) {
    return ctx.fail(status, "%s input and output must be quantized per tensor",
                    in_type);
  }
  if (in->type == kTmInt8) {
    const bool s8_out = out->type == kTmInt8;
    const float scale = s8_out ? 1.0f / 256 : 1.0f / 65536;
    const int32_t zero_point = s8_out ? -128 : -32768;
    const float off = out->quant.scales[0] - scale;
    if (out->quant.zero_point != zero_point ||
        (off > 0.001f * scale || off < -0.001f * scale) ||
        (s8_out && off != 0.0f)) {
      return ctx.fail(status,
                      "%s output must have scale %s and zero point %d (zero "
                      "point is %d)",
                      out_type, s8_out ? "1/256" : "1/65536", zero_point,
                      out->quant.zero_point);
    }
    return ctx.fail(status,
                    "beta * input scale * 2^26 must exceed 1 for an INT8 "
                    "softmax");
  }
  return ctx.fail(status,
                  "INT16 softmax needs input zero point 0 (is %d) and output "
                  "scale 1/32768 with zero point 0 (is %d)",
                  in->quant.zero_point, out->quant.zero_point);
}

TmStatus prepare(OpContext& ctx) {
  const TmTensor* input = ctx.input(0);
  const TmTensor* output = ctx.output(0);
  if (input == nullptr || output == nullptr || ctx.num_inputs() != 1 ||
      ctx.num_outputs() != 1) {
    return ctx.fail(kTmErrorMalformedModel, "expects 1 input and 1 output");
  }
  TmSoftmaxParams* params = static_cast<TmSoftmaxParams*>(
      ctx.allocate_persistent(sizeof(TmSoftmaxParams)));
  if (params == nullptr) return kTmErrorArenaTooSmall;
  int16_t* exp_lut = nullptr;
  int16_t* reciprocal_lut = nullptr;
  if (input->type == kTmInt16) {
    exp_lut = static_cast<int16_t*>(
        ctx.allocate_persistent(TM_SOFTMAX_LUT_ENTRIES * sizeof(int16_t)));
    reciprocal_lut = static_cast<int16_t*>(
        ctx.allocate_persistent(TM_SOFTMAX_LUT_ENTRIES * sizeof(int16_t)));
    if (exp_lut == nullptr || reciprocal_lut == nullptr) {
      return kTmErrorArenaTooSmall;
    }
  }
  const TmStatus status = tm_softmax_prepare(
      &ctx.attrs().u.softmax, input, output, exp_lut, reciprocal_lut, params);
  if (status != kTmOk) return explain_failure(ctx, status);
  ctx.set_op_data(params);
  return kTmOk;
}

TmStatus invoke(OpContext& ctx) {
  const TmSoftmaxParams* p = static_cast<const TmSoftmaxParams*>(ctx.op_data());
  const void* in = ctx.input(0)->data;
  void* out = ctx.output(0)->data;
  switch (ctx.input(0)->type) {
    case kTmInt8:
      if (ctx.output(0)->type == kTmInt16) {
        tm_softmax_s8_s16(p, static_cast<const int8_t*>(in),
                          static_cast<int16_t*>(out));
      } else {
        tm_softmax_s8(p, static_cast<const int8_t*>(in),
                      static_cast<int8_t*>(out));
      }
      return kTmOk;
    case kTmInt16:
      tm_softmax_s16(p, static_cast<const int16_t*>(in),
                     static_cast<int16_t*>(out));
      return kTmOk;
    default:
      tm_softmax_f32(p, static_cast<const float*>(in),
                     static_cast<float*>(out));
      return kTmOk;
  }
}

}  // namespace

const OpRegistration kOpSoftmax = {kTmOpSoftmax, prepare, invoke, nullptr};

}  // namespace tierml
