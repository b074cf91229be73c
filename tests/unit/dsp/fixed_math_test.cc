#include "dsp/fixed_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

namespace tierml {
namespace {

// Oracle: libm in double precision.
TEST(DspFixedMathTest, Log2WithinTwoUnitsOfQ16) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const int bits = 1 + static_cast<int>(rng() % 63);
    const uint64_t v = (rng() >> (64 - bits)) | (uint64_t{1} << (bits - 1));
    const double expected = std::log2(static_cast<double>(v)) * 65536.0;
    ASSERT_NEAR(tm_log2_q16(v), expected, 2.0) << v;
  }
  EXPECT_EQ(tm_log2_q16(1), 0);
  EXPECT_EQ(tm_log2_q16(uint64_t{1} << 40), 40 * 65536);
  EXPECT_EQ(tm_log2_q16(0), TM_LOG2_Q16_MIN);
  EXPECT_NEAR(tm_log2_q16(UINT64_MAX), 64.0 * 65536, 2.0);
}

TEST(DspFixedMathTest, Exp2NegMatchesLibm) {
  for (int32_t d = 0; d < (40 << 16); d += 977) {
    const double expected = std::exp2(-d / 65536.0) * 1073741824.0;
    ASSERT_NEAR(static_cast<double>(tm_exp2_neg_q16(d)), expected, 16.0) << d;
  }
  EXPECT_EQ(tm_exp2_neg_q16(0), 1u << 30);
  EXPECT_EQ(tm_exp2_neg_q16(65536), 1u << 29);
}

TEST(DspFixedMathTest, Log2AddIsLogOfSum) {
  const int32_t cases[][2] = {{0, 0},
                              {65536 * 3, -65536 * 5},
                              {-655360, -700000},
                              {1234567, 1234567 - 10},
                              {100, 65536 * 40}};
  for (const auto& c : cases) {
    const double expected =
        std::log2(std::exp2(c[0] / 65536.0) + std::exp2(c[1] / 65536.0)) *
        65536.0;
    EXPECT_NEAR(tm_log2_add_q16(c[0], c[1]), expected, 3.0);
  }
}

TEST(DspFixedMathTest, IsqrtIsFloorOfSquareRoot) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 20000; ++i) {
    const uint64_t v = rng() >> (rng() % 64);
    const uint64_t r = tm_isqrt64(v);
    ASSERT_LE(r * r, v);
    const unsigned __int128 next =
        static_cast<unsigned __int128>(r + 1) * (r + 1);
    ASSERT_GT(next, static_cast<unsigned __int128>(v));
  }
  EXPECT_EQ(tm_isqrt64(0), 0u);
  EXPECT_EQ(tm_isqrt64(UINT64_MAX), 4294967295u);
}

}  // namespace
}  // namespace tierml
