#include "kernels/concatenation.h"

#include <string.h>

namespace {

bool same_quantization(const TmQuant& a, const TmQuant& b) {
  const bool a_quantized = a.count > 0;
  if (a_quantized != (b.count > 0)) return false;
  if (!a_quantized) return true;
  return a.count == 1 && b.count == 1 && a.zero_point == b.zero_point &&
         a.scales[0] == b.scales[0];
}

template <typename T>
void concatenate(const TmConcatenationParams* p, const void* const* inputs,
                 T* output) {
  for (int32_t k = 0; k < p->outer; ++k) {
    for (int32_t i = 0; i < p->num_inputs; ++i) {
      const int32_t n = p->inner[i];
      const T* from = static_cast<const T*>(inputs[i]);
      memcpy(output, from + static_cast<int64_t>(k) * n, sizeof(T) * n);
      output += n;
    }
  }
}

}  // namespace

extern "C" {

TmStatus tm_concatenation_prepare(const TmConcatenationAttrs* attrs,
                                  const TmTensor* const* inputs,
                                  int32_t num_inputs, const TmTensor* output,
                                  int32_t* inner,
                                  TmConcatenationParams* params) {
  const TmType type = output->type;
  if (type != kTmInt8 && type != kTmInt16 && type != kTmInt32 &&
      type != kTmFloat32) {
    return kTmErrorUnsupported;
  }
  if (attrs->activation != kTmActNone) return kTmErrorUnsupported;
  const int32_t rank = output->shape.rank;
  if (rank > TM_MAX_DIMS) return kTmErrorUnsupported;
  if (num_inputs < 1) return kTmErrorBadArgument;
  const int32_t axis = attrs->axis < 0 ? attrs->axis + rank : attrs->axis;
  if (axis < 0 || axis >= rank) return kTmErrorBadArgument;

  int32_t outer = 1, after = 1;
  for (int32_t d = 0; d < axis; ++d) outer *= output->shape.dims[d];
  for (int32_t d = axis + 1; d < rank; ++d) after *= output->shape.dims[d];
  int32_t axis_total = 0;
  for (int32_t i = 0; i < num_inputs; ++i) {
    const TmTensor* in = inputs[i];
    if (in == nullptr || in->type != type) return kTmErrorBadArgument;
    if (in->shape.rank != rank) return kTmErrorBadArgument;
    for (int32_t d = 0; d < rank; ++d) {
      if (d != axis && in->shape.dims[d] != output->shape.dims[d]) {
        return kTmErrorBadArgument;
      }
    }
    if ((type == kTmInt8 || type == kTmInt16) &&
        !same_quantization(in->quant, output->quant)) {
      return kTmErrorUnsupported;
    }
    inner[i] = in->shape.dims[axis] * after;
    axis_total += in->shape.dims[axis];
  }
  if (axis_total != output->shape.dims[axis]) return kTmErrorBadArgument;
  params->num_inputs = num_inputs;
  params->outer = outer;
  params->inner = inner;
  return kTmOk;
}

void tm_concatenation_s8(const TmConcatenationParams* p,
                         const void* const* inputs, int8_t* output) {
  concatenate(p, inputs, output);
}

void tm_concatenation_s16(const TmConcatenationParams* p,
                          const void* const* inputs, int16_t* output) {
  concatenate(p, inputs, output);
}

void tm_concatenation_i32(const TmConcatenationParams* p,
                          const void* const* inputs, int32_t* output) {
  concatenate(p, inputs, output);
}

void tm_concatenation_f32(const TmConcatenationParams* p,
                          const void* const* inputs, float* output) {
  concatenate(p, inputs, output);
}

}  // extern "C"
