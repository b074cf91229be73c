#include "dsp/fixed_math.h"

namespace {

// round(2^31 * 2^(-2^(j - 16))): the factor for fraction bit j of a Q16
// exponent (bit 15 is 2^-0.5, bit 0 is 2^(-1/65536)).
constexpr uint32_t kExp2NegBit[16] = {
    2147460935u, 2147438222u, 2147392798u, 2147301951u,
    2147120270u, 2146756953u, 2146030505u, 2144578345u,
    2141676973u, 2135885998u, 2124350982u, 2101467502u,
    2056437387u, 1969251188u, 1805811301u, 1518500250u};

}  // namespace

extern "C" {

int32_t tm_msb64(uint64_t v) {
  int32_t msb = -1;
  while (v != 0) {
    v >>= 1;
    ++msb;
  }
  return msb;
}

uint32_t tm_isqrt64(uint64_t v) {
  uint64_t root = 0;
  uint64_t bit = uint64_t{1} << 62;
  while (bit > v) bit >>= 2;
  while (bit != 0) {
    if (v >= root + bit) {
      v -= root + bit;
      root = (root >> 1) + bit;
    } else {
      root >>= 1;
    }
    bit >>= 2;
  }
  return static_cast<uint32_t>(root);
}

int32_t tm_log2_q16(uint64_t v) {
  if (v == 0) return TM_LOG2_Q16_MIN;
  int32_t msb = tm_msb64(v);
  // Mantissa in Q30, [2^30, 2^31), rounded to nearest.
  uint64_t m;
  if (msb > 30) {
    const int shift = msb - 30;
    m = ((v >> (shift - 1)) + 1) >> 1;  // rounded, without overflow
    if (m >= (uint64_t{1} << 31)) {
      m >>= 1;
      ++msb;
    }
  } else {
    m = v << (30 - msb);
  }
  // Each squaring doubles the logarithm; a carry past 2 is the next bit.
  int32_t fraction = 0;
  for (int bit = 15; bit >= 0; --bit) {
    m = (m * m + (uint64_t{1} << 29)) >> 30;
    if (m >= (uint64_t{1} << 31)) {
      m = (m + 1) >> 1;
      fraction |= 1 << bit;
    }
  }
  return msb * 65536 + fraction;
}

uint32_t tm_exp2_neg_q16(int32_t d) {
  if (d <= 0) return uint32_t{1} << 30;
  const int32_t whole = d >> 16;
  if (whole >= 31) return 0;
  uint64_t r = uint64_t{1} << 30;
  for (int bit = 0; bit < 16; ++bit) {
    if (d & (1 << bit)) r = (r * kExp2NegBit[bit] + (uint64_t{1} << 30)) >> 31;
  }
  return static_cast<uint32_t>((r + ((uint64_t{1} << whole) >> 1)) >> whole);
}

int32_t tm_log2_add_q16(int32_t a, int32_t b) {
  const int32_t hi = a > b ? a : b;
  const int32_t lo = a > b ? b : a;
  const int64_t gap = static_cast<int64_t>(hi) - lo;
  if (gap >= (int64_t{32} << 16)) return hi;  // below the Q30 resolution
  const uint64_t one_plus =
      (uint64_t{1} << 30) + tm_exp2_neg_q16(static_cast<int32_t>(gap));
  return hi + (tm_log2_q16(one_plus) - 30 * 65536);
}

}  // extern "C"
