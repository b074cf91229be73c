// DEQUANTIZE: int8/int16/uint8 -> float32 (see kernels/dequantize.h).
#include "kernels/dequantize.h"

#include "interpreter/ops/registrations.h"

namespace tierml {
namespace {

TmStatus prepare(OpContext& ctx) {
  const TmTensor* input = ctx.input(0);
  const TmTensor* output = ctx.output(0);
  if (input == nullptr || output == nullptr || ctx.num_inputs() != 1)
    return ctx.fail(kTmErrorMalformedModel, "expects 1 input and 1 output");
  TmDequantizeParams* params = static_cast<TmDequantizeParams*>(
      ctx.allocate_persistent(sizeof(TmDequantizeParams)));
  if (params == nullptr) return kTmErrorArenaTooSmall;
  const TmStatus status = tm_dequantize_prepare(input, output, params);
  if (status == kTmErrorUnsupported) {
    return ctx.fail(status,
                    "%s -> %s is not supported (INT8, INT16, UINT8 -> "
                    "FLOAT32)",
                    tm_type_name(input->type), tm_type_name(output->type));
  }
  if (status != kTmOk) {
    return ctx.fail(status,
                    "input must be per-tensor quantized (has %d scales) with "
                    "the output's element count (%d vs %d)",
                    input->quant.count, tm_shape_elements(&input->shape),
                    tm_shape_elements(&output->shape));
  }
  ctx.set_op_data(params);
  return kTmOk;
}

TmStatus invoke(OpContext& ctx) {
  const TmDequantizeParams* p =
      static_cast<const TmDequantizeParams*>(ctx.op_data());
  const TmTensor* input = ctx.input(0);
  float* out = static_cast<float*>(ctx.output(0)->data);
  switch (input->type) {
    case kTmInt8:
      tm_dequantize_s8(p, static_cast<const int8_t*>(input->data), out);
      return kTmOk;
    case kTmInt16:
      tm_dequantize_s16(p, static_cast<const int16_t*>(input->data), out);
      return kTmOk;
    default:
      tm_dequantize_u8(p, static_cast<const uint8_t*>(input->data), out);
      return kTmOk;
  }
}

}  // namespace

const OpRegistration kOpDequantize = {kTmOpDequantize, prepare, invoke,
                                      nullptr};

}  // namespace tierml
