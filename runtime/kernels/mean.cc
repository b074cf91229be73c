#include "kernels/mean.h"

#include "kernels/quantization.h"

namespace {

// Adds every input element into its output's accumulator, walking the
// input in order (which fixes the float summation order).
template <typename In, typename Add>
void accumulate(const TmMeanParams* p, const In* input, Add add) {
  static_assert(TM_MAX_DIMS == 6, "one loop per dim");
  const int32_t* n = p->count;
  const int32_t* s = p->out_step;
  for (int32_t i0 = 0, o0 = 0; i0 < n[0]; ++i0, o0 += s[0]) {
    for (int32_t i1 = 0, o1 = o0; i1 < n[1]; ++i1, o1 += s[1]) {
      for (int32_t i2 = 0, o2 = o1; i2 < n[2]; ++i2, o2 += s[2]) {
        for (int32_t i3 = 0, o3 = o2; i3 < n[3]; ++i3, o3 += s[3]) {
          for (int32_t i4 = 0, o4 = o3; i4 < n[4]; ++i4, o4 += s[4]) {
            for (int32_t i5 = 0, o5 = o4; i5 < n[5]; ++i5, o5 += s[5]) {
              add(o5, *input++);
            }
          }
        }
      }
    }
  }
}

// int32 sums wrap as TFLite's do (it adds through unsigned integers).
int32_t wrap(int64_t x) {
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(x)));
}

template <typename T>
void mean_integer(const TmMeanParams* p, const T* input, T* output,
                  int32_t* sums) {
  for (int32_t i = 0; i < p->num_outputs; ++i) {
    sums[i] = 0;
    output[i] = 0;
  }
  if (p->num_reduced == 0) return;
  accumulate(p, input, [sums](int32_t at, T x) {
    sums[at] = wrap(static_cast<int64_t>(sums[at]) + x);
  });
  constexpr int32_t kMin = sizeof(T) == 1 ? -128 : -32768;
  constexpr int32_t kMax = sizeof(T) == 1 ? 127 : 32767;
  const int64_t offset =
      static_cast<int64_t>(p->input_zero_point) * p->num_reduced;
  for (int32_t i = 0; i < p->num_outputs; ++i) {
    const int32_t centered = wrap(sums[i] - offset);
    const int32_t scaled = tierml::multiply_by_quantized_multiplier(
        centered, p->multiplier, p->shift);
    output[i] = static_cast<T>(
        tierml::clamp_i32(scaled + p->output_zero_point, kMin, kMax));
  }
}

int floor_log2(int64_t x) {
  int bits = -1;
  for (; x > 0; x >>= 1) ++bits;
  return bits;
}

}  // namespace

extern "C" {

TmStatus tm_mean_prepare(const TmReducerAttrs* attrs, const TmTensor* input,
                         const int32_t* axes, int32_t num_axes,
                         const TmTensor* output, TmMeanParams* params,
                         size_t* scratch_bytes) {
  const TmType type = input->type;
  if (type != kTmInt8 && type != kTmInt16 && type != kTmFloat32) {
    return kTmErrorUnsupported;
  }
  const int32_t rank = input->shape.rank;
  if (rank > TM_MAX_DIMS) return kTmErrorUnsupported;
  if (output->type != type || num_axes < 0) return kTmErrorBadArgument;

  bool reduced[TM_MAX_DIMS] = {};
  // A scalar has nothing to reduce; its axes go unused, as in TFLite.
  for (int32_t i = 0; i < num_axes && rank > 0; ++i) {
    const int32_t axis = axes[i] < 0 ? axes[i] + rank : axes[i];
    if (axis < 0 || axis >= rank) return kTmErrorBadArgument;
    reduced[axis] = true;
  }
  const int32_t pad = TM_MAX_DIMS - rank;
  int32_t out_elems = 1, reduced_elems = 1;
  for (int32_t d = TM_MAX_DIMS - 1; d >= 0; --d) {
    const int32_t size = d < pad ? 1 : input->shape.dims[d - pad];
    params->count[d] = size;
    if (d >= pad && reduced[d - pad]) {
      params->out_step[d] = 0;
      reduced_elems *= size;
    } else {
      params->out_step[d] = out_elems;
      out_elems *= size;
    }
  }
  // keep_dims only changes the output's rank, not its element order.
  (void)attrs;
  if (tm_shape_elements(&output->shape) != out_elems) {
    return kTmErrorBadArgument;
  }
  params->num_outputs = out_elems;
  params->num_reduced = reduced_elems;
  params->input_zero_point = params->output_zero_point = 0;
  params->multiplier = params->shift = 0;
  *scratch_bytes = 0;
  if (type == kTmFloat32) return kTmOk;

  const TmQuant& iq = input->quant;
  const TmQuant& oq = output->quant;
  if (iq.count != 1 || oq.count != 1) return kTmErrorUnsupported;
  *scratch_bytes = sizeof(int32_t) * static_cast<size_t>(out_elems);
  params->input_zero_point = iq.zero_point;
  params->output_zero_point = oq.zero_point;
  if (reduced_elems == 0) return kTmOk;

  int32_t multiplier;
  int shift;
  tierml::quantize_multiplier(
      static_cast<double>(iq.scales[0]) / static_cast<double>(oq.scales[0]),
      &multiplier, &shift);
  // Fold 1/count into the multiplier as TFLite does: scale the multiplier up
  // by 2^k (k = floor(log2(count)), at most 32 and keeping the final shift
  // >= -31) before the integer division, and shift down by k.
  int k = floor_log2(reduced_elems);
  if (k > 32) k = 32;
  if (k > 31 + shift) k = 31 + shift;
  params->multiplier = static_cast<int32_t>(
      (static_cast<int64_t>(multiplier) << k) / reduced_elems);
  params->shift = shift - k;
  return kTmOk;
}

void tm_mean_s8(const TmMeanParams* p, const int8_t* input, int8_t* output,
                int32_t* scratch) {
  mean_integer(p, input, output, scratch);
}

void tm_mean_s16(const TmMeanParams* p, const int16_t* input, int16_t* output,
                 int32_t* scratch) {
  mean_integer(p, input, output, scratch);
}

void tm_mean_f32(const TmMeanParams* p, const float* input, float* output) {
  for (int32_t i = 0; i < p->num_outputs; ++i) output[i] = 0.0f;
  accumulate(p, input, [output](int32_t at, float x) { output[at] += x; });
  if (p->num_reduced == 0) return;
  const float count = static_cast<float>(p->num_reduced);
  for (int32_t i = 0; i < p->num_outputs; ++i) output[i] /= count;
}

}  // extern "C"
