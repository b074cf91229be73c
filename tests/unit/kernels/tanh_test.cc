#include "kernels/tanh.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "tensor_spec.h"

namespace tierml {
namespace {

using testing::TensorSpec;

// Every int8 input for several input quantizations: within 1 LSB (1/128) of
// the double tanh, non-decreasing, 0 at the zero point, and odd about the
// zero point: f(zp + d) = -f(zp - d) except where +1.0 clamps to 127 and
// -1.0 does not.
TEST(TanhTest, Int8AllInputsMatchDoubleAndAreOdd) {
  struct Case {
    float scale;
    int32_t zero_point;
  } cases[] = {
      {1.0f / 32, 0}, {0.1f, 5}, {0.0215f, -3}, {0.7f, 0}, {0.004f, 1}};
  std::vector<int8_t> in;
  for (int q = -128; q <= 127; ++q) in.push_back(static_cast<int8_t>(q));
  for (const Case& c : cases) {
    TensorSpec input(kTmInt8, {16, 16}, c.scale, c.zero_point);
    TensorSpec output(kTmInt8, {16, 16}, 1.0f / 128, 0);
    TmTanhParams p;
    ASSERT_EQ(tm_tanh_prepare(input.get(), output.get(), &p), kTmOk);
    std::vector<int8_t> out(256);
    tm_tanh_s8(&p, in.data(), out.data());
    for (int i = 0; i < 256; ++i) {
      const double x = c.scale * (in[i] - c.zero_point);
      const int32_t want =
          testing::quantize_double(std::tanh(x), 1.0 / 128, 0, -128, 127);
      EXPECT_LE(std::abs(out[i] - want), 1)
          << "scale " << c.scale << " zero point " << c.zero_point << " q "
          << int{in[i]};
      if (i > 0) {
        EXPECT_GE(out[i], out[i - 1]);
      }
      if (in[i] == c.zero_point) {
        EXPECT_EQ(out[i], 0);
      }
      const int32_t mirror = 2 * c.zero_point - in[i];
      if (mirror >= -128 && mirror <= 127) {
        const int32_t a = out[i], b = out[mirror + 128];
        EXPECT_TRUE(a == -b || (a == 127 && b == -128) ||
                    (a == -128 && b == 127))
            << "q " << int{in[i]} << ": " << a << " vs " << b;
      }
    }
  }
}

TEST(TanhTest, Int8SaturatesAtTheExtremes) {
  TensorSpec input(kTmInt8, {4}, 0.1f, 0);
  TensorSpec output(kTmInt8, {4}, 1.0f / 128, 0);
  TmTanhParams p;
  ASSERT_EQ(tm_tanh_prepare(input.get(), output.get(), &p), kTmOk);
  const int8_t in[4] = {-128, 127, 10, -10};
  int8_t out[4];
  tm_tanh_s8(&p, in, out);
  EXPECT_EQ(out[0], -128);
  EXPECT_EQ(out[1], 127);
  // tanh(1) * 128 = 97.48.
  EXPECT_EQ(out[2], 97);
  EXPECT_EQ(out[3], -97);
}

// int16 through the sigmoid table: within 4 units of Q0.15 of the double
// tanh and odd to one unit. Covers TANH's extra power-of-two case (2^-11,
// shift 1) next to 2^-12 and a general scale.
TEST(TanhTest, Int16MatchesDouble) {
  for (float scale : {1.0f / 4096, 1.0f / 2048, 0.0007f}) {
    TensorSpec input(kTmInt16, {2048}, scale, 0);
    TensorSpec output(kTmInt16, {2048}, 1.0f / 32768, 0);
    TmTanhParams p;
    ASSERT_EQ(tm_tanh_prepare(input.get(), output.get(), &p), kTmOk);
    if (scale == 1.0f / 2048) {
      EXPECT_EQ(p.input_multiplier, 0);
      EXPECT_EQ(p.input_left_shift, 1);
    }
    std::vector<int16_t> in(2048), neg(2048);
    for (int i = 0; i < 2048; ++i) {
      in[i] = static_cast<int16_t>(i * 32 - 32767 + (i % 5));
      neg[i] = static_cast<int16_t>(-in[i]);
    }
    std::vector<int16_t> out(2048), out_neg(2048);
    tm_tanh_s16(&p, in.data(), out.data());
    tm_tanh_s16(&p, neg.data(), out_neg.data());
    for (int i = 0; i < 2048; ++i) {
      const double want = std::max(
          -32768.0,
          std::min(32767.0,
                   std::tanh(static_cast<double>(scale) * in[i]) * 32768));
      EXPECT_NEAR(out[i], want, 4.0) << "scale " << scale << " q " << in[i];
      EXPECT_NEAR(out[i], -out_neg[i], 1.0) << in[i];
    }
  }
}

TEST(TanhTest, Float32MatchesDouble) {
  const std::vector<float> in = {-20.0f, -1.0f, -1e-4f, 0.0f, 0.5f, 3.0f};
  TensorSpec input(kTmFloat32, {6});
  TensorSpec output(kTmFloat32, {6});
  TmTanhParams p;
  ASSERT_EQ(tm_tanh_prepare(input.get(), output.get(), &p), kTmOk);
  std::vector<float> out(6);
  tm_tanh_f32(&p, in.data(), out.data());
  for (size_t i = 0; i < in.size(); ++i) {
    EXPECT_NEAR(out[i], std::tanh(static_cast<double>(in[i])),
                1e-6 * std::fabs(std::tanh(in[i])));
  }
}

TEST(TanhTest, RejectsOutputsTheKernelCannotProduce) {
  TmTanhParams p;
  TensorSpec in8(kTmInt8, {3}, 0.1f, 0);
  TensorSpec out_zp(kTmInt8, {3}, 1.0f / 128, -128);
  TensorSpec out_scale(kTmInt8, {3}, 1.0f / 256, 0);
  EXPECT_EQ(tm_tanh_prepare(in8.get(), out_zp.get(), &p), kTmErrorUnsupported);
  EXPECT_EQ(tm_tanh_prepare(in8.get(), out_scale.get(), &p),
            kTmErrorUnsupported);
  TensorSpec in16(kTmInt16, {3}, 1.0f / 4096, 1);
  TensorSpec out16(kTmInt16, {3}, 1.0f / 32768, 0);
  EXPECT_EQ(tm_tanh_prepare(in16.get(), out16.get(), &p), kTmErrorUnsupported);
  TensorSpec in_u8(kTmUInt8, {3}, 0.1f, 128);
  TensorSpec out_u8(kTmUInt8, {3}, 1.0f / 128, 128);
  EXPECT_EQ(tm_tanh_prepare(in_u8.get(), out_u8.get(), &p),
            kTmErrorUnsupported);
}

}  // namespace
}  // namespace tierml
