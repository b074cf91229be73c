#include "kernels/fully_connected.h"

#include "kernels/conv_quant.h"
#include "kernels/int8_dot.h"
#include "kernels/quantization.h"
#include "kernels/x86/fully_connected_avx2.h"
#include "kernels/x86/fully_connected_f32_avx2.h"

namespace tierml {
namespace {

TmStatus check_types(const TmTensor* input, const TmTensor* filter,
                     const TmTensor* bias, const TmTensor* output) {
  if (output->type != input->type) return kTmErrorUnsupported;
  TmType filter_type, bias_type;
  switch (input->type) {
    case kTmInt8:
      filter_type = kTmInt8;
      bias_type = kTmInt32;
      break;
    case kTmInt16:
      filter_type = kTmInt8;
      bias_type = kTmInt64;
      break;
    case kTmFloat32:
      filter_type = kTmFloat32;
      bias_type = kTmFloat32;
      break;
    default:
      return kTmErrorUnsupported;
  }
  if (filter->type != filter_type) return kTmErrorUnsupported;
  if (bias != nullptr && bias->type != bias_type) return kTmErrorUnsupported;
  return kTmOk;
}

TmStatus fill_shapes(const TmFullyConnectedAttrs& a, const TmTensor* input,
                     const TmTensor* filter, const TmTensor* bias,
                     const TmTensor* output, TmFullyConnectedParams* p) {
  if (filter->shape.rank != 2 || output->shape.rank < 1) {
    return kTmErrorBadArgument;
  }
  p->units = filter->shape.dims[0];
  p->depth = filter->shape.dims[1];
  if (p->units <= 0 || p->depth <= 0) return kTmErrorBadArgument;
  if (output->shape.dims[output->shape.rank - 1] != p->units) {
    return kTmErrorBadArgument;
  }
  p->batches = tm_shape_elements(&output->shape) / p->units;
  if (tm_shape_elements(&input->shape) != int64_t{p->batches} * p->depth) {
    return kTmErrorBadArgument;
  }
  if (a.keep_num_dims) {
    if (output->shape.rank != input->shape.rank) return kTmErrorBadArgument;
    for (int32_t i = 0; i + 1 < input->shape.rank; ++i) {
      if (output->shape.dims[i] != input->shape.dims[i]) {
        return kTmErrorBadArgument;
      }
    }
  }
  if (bias != nullptr && tm_shape_elements(&bias->shape) != p->units) {
    return kTmErrorBadArgument;
  }
  return kTmOk;
}

TmStatus fill_multipliers(const TmTensor* input, const TmTensor* filter,
                          const TmTensor* output, TmFullyConnectedParams* p,
                          int32_t* multipliers, int32_t* shifts) {
  if (p->per_channel) {
    return per_channel_multipliers(input, filter, output, p->units, 0,
                                   multipliers, shifts);
  }
  if (!has_per_tensor_scale(input) || !has_per_tensor_scale(output) ||
      filter->quant.count != 1 || filter->quant.scales == nullptr) {
    return kTmErrorBadArgument;
  }
  // TFLite multiplies the two scales in float before widening to double.
  const float product = input->quant.scales[0] * filter->quant.scales[0];
  const double real = static_cast<double>(product) /
                      static_cast<double>(output->quant.scales[0]);
  if (!(real >= 0.0)) return kTmErrorBadArgument;
  int shift = 0;
  quantize_multiplier(real, &multipliers[0], &shift);
  shifts[0] = shift;
  return kTmOk;
}

void fold_bias(const TmFullyConnectedParams& p, const int8_t* filter,
               const int32_t* bias, int32_t* folded) {
  for (int32_t u = 0; u < p.units; ++u) {
    int32_t sum = 0;
    for (int32_t d = 0; d < p.depth; ++d) sum += filter[u * p.depth + d];
    folded[u] = (bias ? bias[u] : 0) + p.input_offset * sum;
  }
}

inline int32_t requantize(const TmFullyConnectedParams& p, int64_t acc,
                          int32_t unit) {
  const int32_t i = p.per_channel ? unit : 0;
  return multiply_by_quantized_multiplier(acc, p.multipliers[i], p.shifts[i]);
}

inline int8_t finish_s8(const TmFullyConnectedParams& p, int32_t acc,
                        int32_t unit) {
  const int32_t i = p.per_channel ? unit : 0;
  return requantize_s8(acc, p.multipliers[i], p.shifts[i], p.output_offset,
                       p.act_min, p.act_max);
}

// int8 with symmetric weights: four units share each pass over the input.
// init is each unit's starting sum (folded bias, bias or NULL for zero);
// without kOffset it must include the input offset's share (folded bias).
template <bool kOffset>
void fully_connected_s8(const TmFullyConnectedParams& p, const int8_t* input,
                        const int8_t* filter, const int32_t* init,
                        int8_t* output) {
  const int32_t depth = p.depth;
  for (int32_t b = 0; b < p.batches; ++b) {
    const int8_t* x = input + b * depth;
    int32_t u = 0;
    for (; u + 4 <= p.units; u += 4) {
      Acc4 acc = load_acc4(init, u);
      dot4_s8<kOffset>(x, filter + u * depth, depth, depth, p.input_offset,
                       &acc);
      const int32_t sums[4] = {acc.a0, acc.a1, acc.a2, acc.a3};
      for (int32_t k = 0; k < 4; ++k)
        output[u + k] = finish_s8(p, sums[k], u + k);
    }
    for (; u < p.units; ++u) {
      const int32_t acc = dot1_s8<kOffset>(x, filter + u * depth, depth,
                                           p.input_offset, init ? init[u] : 0);
      output[u] = finish_s8(p, acc, u);
    }
    output += p.units;
  }
}

// int8 with a per-tensor filter zero point (older models): TFLite's loop.
void fully_connected_s8_filter_offset(const TmFullyConnectedParams& p,
                                      const int8_t* input, const int8_t* filter,
                                      const int32_t* bias, int8_t* output) {
  const int32_t depth = p.depth;
  for (int32_t b = 0; b < p.batches; ++b) {
    const int8_t* x = input + b * depth;
    for (int32_t u = 0; u < p.units; ++u) {
      const int8_t* w = filter + u * depth;
      int32_t acc = 0;
      for (int32_t d = 0; d < depth; ++d) {
        acc += (w[d] + p.filter_offset) * (x[d] + p.input_offset);
      }
      if (bias != nullptr) acc += bias[u];
      *output++ = finish_s8(p, acc, u);
    }
  }
}

}  // namespace

void fully_connected_s8_portable(const TmFullyConnectedParams& p,
                                 const int8_t* input, const int8_t* filter,
                                 const int32_t* bias, int8_t* output) {
  if (p.filter_offset != 0) {
    fully_connected_s8_filter_offset(p, input, filter, bias, output);
  } else if (p.folded_bias != nullptr) {
    fully_connected_s8<false>(p, input, filter, p.folded_bias, output);
  } else {
    fully_connected_s8<true>(p, input, filter, bias, output);
  }
}

}  // namespace tierml

extern "C" {

int32_t tm_fully_connected_multiplier_count(const TmTensor* input,
                                            const TmTensor* filter) {
  if (input->type == kTmFloat32) return 0;
  return filter->quant.count > 1 ? filter->quant.count : 1;
}

TmStatus tm_fully_connected_prepare(
    const TmFullyConnectedAttrs* attrs, const TmTensor* input,
    const TmTensor* filter, const TmTensor* bias, const TmTensor* output,
    int32_t* multipliers, int32_t* shifts, int32_t* folded_bias,
    TmFullyConnectedParams* params) {
  if (!attrs || !input || !filter || !output || !params) {
    return kTmErrorBadArgument;
  }
  *params = TmFullyConnectedParams{};
  TmStatus status = tierml::check_types(input, filter, bias, output);
  if (status != kTmOk) return status;
  status = tierml::fill_shapes(*attrs, input, filter, bias, output, params);
  if (status != kTmOk) return status;

  if (input->type == kTmFloat32) {
    return tierml::activation_range_float(attrs->activation, &params->act_min_f,
                                          &params->act_max_f);
  }
  if (!multipliers || !shifts) return kTmErrorBadArgument;
  if (input->type == kTmInt16 &&
      (input->quant.zero_point != 0 || output->quant.zero_point != 0)) {
    return kTmErrorBadArgument;  // 16x8 is symmetric: no offsets
  }
  params->per_channel = filter->quant.count > 1;
  status = tierml::fill_multipliers(input, filter, output, params, multipliers,
                                    shifts);
  if (status != kTmOk) return status;
  status = tierml::activation_range_quantized(
      attrs->activation, output->type, output->quant.scales[0],
      output->quant.zero_point, &params->act_min, &params->act_max);
  if (status != kTmOk) return status;
  params->multipliers = multipliers;
  params->shifts = shifts;
  // Per-channel weights are symmetric by definition: TFLite ignores their
  // zero point; per-tensor ones keep it for older models.
  params->filter_offset = params->per_channel ? 0 : -filter->quant.zero_point;
  if (tierml::accumulator_overflow_channel(input, bias, params->units,
                                           params->depth, params->filter_offset,
                                           input->type == kTmInt16) >= 0) {
    return kTmErrorUnsupported;
  }
  if (input->type == kTmInt8) {
    params->input_offset = -input->quant.zero_point;
    params->output_offset = output->quant.zero_point;
    const bool constant =
        filter->data != nullptr && (bias == nullptr || bias->data != nullptr);
    if (folded_bias != nullptr && constant && params->filter_offset == 0) {
      tierml::fold_bias(
          *params, static_cast<const int8_t*>(filter->data),
          bias ? static_cast<const int32_t*>(bias->data) : nullptr,
          folded_bias);
      params->folded_bias = folded_bias;
    }
  }
  return kTmOk;
}

void tm_fully_connected_s8(const TmFullyConnectedParams* p, const int8_t* input,
                           const int8_t* filter, const int32_t* bias,
                           int8_t* output) {
#ifdef TM_X86_AVX2
  if (tierml::cpu_has_avx2() &&
      tierml::fully_connected_s8_avx2(*p, input, filter, bias, output)) {
    return;
  }
#endif
  tierml::fully_connected_s8_portable(*p, input, filter, bias, output);
}

void tm_fully_connected_s16(const TmFullyConnectedParams* p,
                            const int16_t* input, const int8_t* filter,
                            const int64_t* bias, int16_t* output) {
  const int32_t depth = p->depth;
  for (int32_t b = 0; b < p->batches; ++b) {
    const int16_t* x = input + b * depth;
    for (int32_t u = 0; u < p->units; ++u) {
      const int8_t* w = filter + u * depth;
      int64_t acc = 0;
      for (int32_t d = 0; d < depth; ++d) {
        acc += (w[d] + p->filter_offset) * x[d];
      }
      if (bias != nullptr) acc += bias[u];
      const int32_t v = tierml::requantize(*p, acc, u);
      *output++ =
          static_cast<int16_t>(tierml::clamp_i32(v, p->act_min, p->act_max));
    }
  }
}

void tm_fully_connected_f32(const TmFullyConnectedParams* p, const float* input,
                            const float* filter, const float* bias,
                            float* output) {
#ifdef TM_X86_AVX2
  if (tierml::cpu_has_avx2() &&
      tierml::x86::fully_connected_f32_avx2_covers(*p)) {
    tierml::x86::fully_connected_f32_avx2(*p, input, filter, bias, output);
    return;
  }
#endif
  tm_fully_connected_f32_portable(p, input, filter, bias, output);
}

void tm_fully_connected_f32_portable(const TmFullyConnectedParams* p,
                                     const float* input, const float* filter,
                                     const float* bias, float* output) {
  const int32_t depth = p->depth;
  for (int32_t b = 0; b < p->batches; ++b) {
    const float* x = input + b * depth;
    for (int32_t u = 0; u < p->units; ++u) {
      const float* w = filter + u * depth;
      float total = 0.0f;
      for (int32_t d = 0; d < depth; ++d) total += x[d] * w[d];
      const float v = total + (bias ? bias[u] : 0.0f);
      const float lo = v < p->act_min_f ? p->act_min_f : v;
      *output++ = lo > p->act_max_f ? p->act_max_f : lo;
    }
  }
}

}  // extern "C"

namespace tierml {

size_t fully_connected_s8_packed_filter_bytes(const TmFullyConnectedParams& p) {
#ifdef TM_X86_AVX2
  if (cpu_has_avx2()) return fully_connected_s8_avx2_packed_bytes(p);
#endif
  (void)p;
  return 0;
}

void fully_connected_s8_pack_filter(const TmFullyConnectedParams& p,
                                    const int8_t* filter, void* packed) {
#ifdef TM_X86_AVX2
  fully_connected_s8_avx2_pack(p, filter, packed);
#else
  (void)p, (void)filter, (void)packed;
#endif
}

void fully_connected_s8_packed(const TmFullyConnectedParams& p,
                               const void* packed, const int8_t* input,
                               const int8_t* filter, const int32_t* bias,
                               int8_t* output) {
#ifdef TM_X86_AVX2
  if (packed != nullptr) {
    fully_connected_s8_avx2_packed(p, packed, input, bias, output);
    return;
  }
#endif
  tm_fully_connected_s8(&p, input, filter, bias, output);
}

}  // namespace tierml
