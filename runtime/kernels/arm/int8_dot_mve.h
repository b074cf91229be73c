// Helium (M-profile Vector Extension, Cortex-M55) forms of int8_dot.h's dot
// loops. VMLADAVA adds the sixteen products of two int8x16 vectors to a
// 32-bit scalar in one instruction, each product exact and the sum wrapping
// like int32 addition, so the sums are the portable loop's integers.
//
// The input offset is not added lane by lane (the int8 lanes would have to
// widen to int16, halving the width): sum of w * (x + offset) is computed as
// sum of w * x plus offset times sum of w, equal modulo 2^32, which is the
// ring int32 sums live in. The tail is one vector under a lane predicate
// (VCTP): inactive lanes load as zero and read no memory.
#ifndef TIERML_KERNELS_ARM_INT8_DOT_MVE_H_
#define TIERML_KERNELS_ARM_INT8_DOT_MVE_H_

#include <arm_mve.h>
#include <stdint.h>

namespace tierml {
namespace mve {

// acc + offset * weight_sum, wrapping as the portable loop's int32 sums do.
inline int32_t add_offset_share(int32_t acc, int32_t offset,
                                int32_t weight_sum) {
  return static_cast<int32_t>(static_cast<uint32_t>(acc) +
                              static_cast<uint32_t>(offset) *
                                  static_cast<uint32_t>(weight_sum));
}

// ak += sum over i < n of wk[i] * (x[i] + offset), k = 0..3. Whole vectors
// first, walking the five rows with post-incremented loads (indexing them
// from one counter spills), then one predicated vector for the tail.
template <bool kOffset>
inline void dot4_s8(const int8_t* x, const int8_t* w0, const int8_t* w1,
                    const int8_t* w2, const int8_t* w3, int32_t n,
                    int32_t offset, int32_t& a0, int32_t& a1, int32_t& a2,
                    int32_t& a3) {
  int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  auto step = [&](int8x16_t xv, int8x16_t v0, int8x16_t v1, int8x16_t v2,
                  int8x16_t v3) {
    a0 = vmladavaq_s8(a0, xv, v0);
    a1 = vmladavaq_s8(a1, xv, v1);
    a2 = vmladavaq_s8(a2, xv, v2);
    a3 = vmladavaq_s8(a3, xv, v3);
    if (kOffset) {
      s0 = vaddvaq_s8(s0, v0);
      s1 = vaddvaq_s8(s1, v1);
      s2 = vaddvaq_s8(s2, v2);
      s3 = vaddvaq_s8(s3, v3);
    }
  };
  for (int32_t i = n >> 4; i > 0; --i) {
    step(vld1q_s8(x), vld1q_s8(w0), vld1q_s8(w1), vld1q_s8(w2), vld1q_s8(w3));
    x += 16;
    w0 += 16;
    w1 += 16;
    w2 += 16;
    w3 += 16;
  }
  if (n & 15) {
    const mve_pred16_t lanes = vctp8q(static_cast<uint32_t>(n & 15));
    step(vldrbq_z_s8(x, lanes), vldrbq_z_s8(w0, lanes), vldrbq_z_s8(w1, lanes),
         vldrbq_z_s8(w2, lanes), vldrbq_z_s8(w3, lanes));
  }
  if (kOffset) {
    a0 = add_offset_share(a0, offset, s0);
    a1 = add_offset_share(a1, offset, s1);
    a2 = add_offset_share(a2, offset, s2);
    a3 = add_offset_share(a3, offset, s3);
  }
}

// acc + sum over i < n of w[i] * (x[i] + offset).
template <bool kOffset>
inline int32_t dot1_s8(const int8_t* x, const int8_t* w, int32_t n,
                       int32_t offset, int32_t acc) {
  int32_t weight_sum = 0;
  for (int32_t i = 0; i < n; i += 16) {
    const mve_pred16_t lanes = vctp8q(static_cast<uint32_t>(n - i));
    const int8x16_t wv = vldrbq_z_s8(w + i, lanes);
    acc = vmladavaq_s8(acc, vldrbq_z_s8(x + i, lanes), wv);
    if (kOffset) weight_sum = vaddvaq_s8(weight_sum, wv);
  }
  return kOffset ? add_offset_share(acc, offset, weight_sum) : acc;
}

// Four adjacent channels' sums plus the products of their int8 inputs
// (plus offset) and weights at x[0..3] and w[0..3], each widened to an int32
// lane (Helium's vector-by-vector multiply does not accumulate).
template <bool kOffset = false>
inline int32x4_t mla4_channels(int32x4_t acc, const int8_t* x, const int8_t* w,
                               int32_t offset = 0) {
  int32x4_t xv = vldrbq_s32(x);
  if (kOffset) xv = vaddq_n_s32(xv, offset);
  return vaddq_s32(acc, vmulq_s32(xv, vldrbq_s32(w)));
}

// Three taps of a filter row for four adjacent channels: the taps lie
// x_step input bytes and w_step filter bytes apart.
inline int32x4_t mla4_channels_3taps(int32x4_t acc, const int8_t* x,
                                     const int8_t* w, int32_t x_step,
                                     int32_t w_step) {
  acc = mla4_channels(acc, x, w);
  acc = mla4_channels(acc, x + x_step, w + w_step);
  return mla4_channels(acc, x + 2 * x_step, w + 2 * w_step);
}

// TFLite's MultiplyByQuantizedMultiplier lane by lane, exactly:
// - VQRDMULH is its saturating rounding doubling high multiply: both round
//   (a * b) / 2^31 to nearest, TFLite's ties away from zero written as a
//   truncation of ab + nudge, VQRDMULH's as floor(ab + 2^30) / 2^31; for
//   negative ab the truncation is -floor((|ab| + 2^30 - 1) / 2^31), which is
//   that floor. Both saturate only for -2^31 * -2^31, to 2^31 - 1.
// - VRSHL by -e rounds half up ((x + 2^(e-1)) >> e, without overflow);
//   TFLite's rounding divide rounds half away from zero, so negative values
//   take one off first where e > 0. The high multiply never returns -2^31
//   (|a * b| / 2^31 <= 2^31 - 1), so that cannot wrap.
inline int32x4_t multiply_by_quantized_multiplier4(int32x4_t x,
                                                   int32x4_t multiplier,
                                                   int32x4_t shift) {
  const int32x4_t zero = vdupq_n_s32(0);
  const int32x4_t left = vmaxq_s32(shift, zero);
  const int32x4_t right = vmaxq_s32(vnegq_s32(shift), zero);
  x = vqrdmulhq_s32(vshlq_s32(x, left), multiplier);
  const int32x4_t negative_and_shifted =
      vpselq_s32(vshrq_n_s32(x, 31), zero, vcmpgtq_n_s32(right, 0));
  return vrshlq_s32(vaddq_s32(x, negative_and_shifted), vnegq_s32(right));
}

// The output zero point and the activation clamp, then the four int8 lanes
// stored at out[0..3]. The offset is a saturating add: where the portable
// form's int64 sum leaves int32, the saturated one is past the same bound.
inline void store4_s8(int32x4_t x, int32_t output_offset, int32_t act_min,
                      int32_t act_max, int8_t* out) {
  x = vqaddq_n_s32(x, output_offset);
  x = vminq_s32(vmaxq_s32(x, vdupq_n_s32(act_min)), vdupq_n_s32(act_max));
  vstrbq_s32(out, x);
}

// Four channels' sums requantized to int8 at out[0..3].
inline void requantize4_s8(int32x4_t acc, const int32_t* multipliers,
                           const int32_t* shifts, int32_t output_offset,
                           int32_t act_min, int32_t act_max, int8_t* out) {
  store4_s8(multiply_by_quantized_multiplier4(acc, vld1q_s32(multipliers),
                                              vld1q_s32(shifts)),
            output_offset, act_min, act_max, out);
}

}  // namespace mve
}  // namespace tierml

#endif  // TIERML_KERNELS_ARM_INT8_DOT_MVE_H_
