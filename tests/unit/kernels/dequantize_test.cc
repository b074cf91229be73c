#include "kernels/dequantize.h"

#include <gtest/gtest.h>

#include <vector>

#include "unit/kernels/tensor_spec.h"

namespace tierml {
namespace {

using testing::TensorSpec;

// Values chosen to be exact in float: scale 0.25 (int8, zp -3), 2^-15
// (int16, zp 0), 0.5 (uint8, zp 128).
TEST(DequantizeTest, HandCheckedAllTypes) {
  TmDequantizeParams p;
  TensorSpec s8(kTmInt8, {3}, 0.25f, -3), f3(kTmFloat32, {3});
  ASSERT_EQ(tm_dequantize_prepare(s8.get(), f3.get(), &p), kTmOk);
  const int8_t a[3] = {5, -128, 127};
  float r[3];
  tm_dequantize_s8(&p, a, r);
  EXPECT_EQ(r[0], 2.0f);     // (5 + 3) / 4
  EXPECT_EQ(r[1], -31.25f);  // -125 / 4
  EXPECT_EQ(r[2], 32.5f);    // 130 / 4

  TensorSpec s16(kTmInt16, {3}, 1.0f / 32768);
  ASSERT_EQ(tm_dequantize_prepare(s16.get(), f3.get(), &p), kTmOk);
  const int16_t b[3] = {-32768, 16384, 1};
  tm_dequantize_s16(&p, b, r);
  EXPECT_EQ(r[0], -1.0f);
  EXPECT_EQ(r[1], 0.5f);
  EXPECT_EQ(r[2], 1.0f / 32768);

  TensorSpec u8(kTmUInt8, {3}, 0.5f, 128);
  ASSERT_EQ(tm_dequantize_prepare(u8.get(), f3.get(), &p), kTmOk);
  const uint8_t c[3] = {0, 128, 255};
  tm_dequantize_u8(&p, c, r);
  EXPECT_EQ(r[0], -64.0f);
  EXPECT_EQ(r[1], 0.0f);
  EXPECT_EQ(r[2], 63.5f);
}

// The product is formed in double and rounded once, so each value is the
// float nearest scale * (q - zp) with scale widened from float.
TEST(DequantizeTest, RandomIsCorrectlyRoundedProduct) {
  TensorSpec in(kTmInt16, {200}, 0.00071f, 0), out(kTmFloat32, {200});
  TmDequantizeParams p;
  ASSERT_EQ(tm_dequantize_prepare(in.get(), out.get(), &p), kTmOk);
  const auto x = testing::random_values<int16_t>(200, 51, -32768, 32767);
  std::vector<float> r(200);
  tm_dequantize_s16(&p, x.data(), r.data());
  for (int i = 0; i < 200; ++i) {
    const double exact = static_cast<double>(0.00071f) * x[i];
    EXPECT_LE(std::abs(r[i] - exact), std::abs(exact) * 6e-8) << i;
  }
}

TEST(DequantizeTest, RejectsUnquantizedOrWrongTypes) {
  TmDequantizeParams p;
  TensorSpec raw(kTmInt8, {2}), f(kTmFloat32, {2}), i32(kTmInt32, {2}, 0.1f),
      s8(kTmInt8, {2}, 0.1f), s8_out(kTmInt8, {2}, 0.1f);
  EXPECT_EQ(tm_dequantize_prepare(raw.get(), f.get(), &p), kTmErrorBadArgument);
  EXPECT_EQ(tm_dequantize_prepare(i32.get(), f.get(), &p), kTmErrorUnsupported);
  EXPECT_EQ(tm_dequantize_prepare(s8.get(), s8_out.get(), &p),
            kTmErrorUnsupported);
}

}  // namespace
}  // namespace tierml
