#include "kernels/quantize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "model/reader.h"
#include "unit/kernels/golden_feed.h"
#include "unit/kernels/seanet_single_op.h"
#include "unit/kernels/tensor_spec.h"

namespace tierml {
namespace {

using testing::TensorSpec;

// Scale 0.5, zero point -1: 1.25 / 0.5 = 2.5 -> 3 -> 2; -2.5 -> -3 -> -4;
// 0.2 / 0.5 = 0.4 -> 0 -> -1; far values and NaN saturate.
TEST(QuantizeTest, FloatToInt8RoundsHalfAwayAndSaturates) {
  TensorSpec in(kTmFloat32, {6}), out(kTmInt8, {6}, 0.5f, -1);
  TmQuantizeParams p;
  ASSERT_EQ(tm_quantize_prepare(in.get(), out.get(), &p), kTmOk);
  const float x[6] = {1.25f,  -1.25f, 0.2f,
                      1000.f, -1e30f, std::numeric_limits<float>::quiet_NaN()};
  int8_t r[6];
  tm_quantize_f32(&p, x, r);
  EXPECT_EQ(r[0], 2);
  EXPECT_EQ(r[1], -4);
  EXPECT_EQ(r[2], -1);
  EXPECT_EQ(r[3], 127);
  EXPECT_EQ(r[4], -128);
  EXPECT_EQ(r[5], -128);
}

TEST(QuantizeTest, FloatToInt16) {
  TensorSpec in(kTmFloat32, {3}), out(kTmInt16, {3}, 1.0f / 32768);
  TmQuantizeParams p;
  ASSERT_EQ(tm_quantize_prepare(in.get(), out.get(), &p), kTmOk);
  const float x[3] = {0.5f, -1.0f, 1.0f};
  int16_t r[3];
  tm_quantize_f32(&p, x, r);
  EXPECT_EQ(r[0], 16384);
  EXPECT_EQ(r[1], -32768);
  EXPECT_EQ(r[2], 32767);  // 32768 saturates
}

// int16 (scale 0.5, zp 0) -> int8 (scale 1, zp -128): multiplier 0.5 ->
// (2^30, shift 0). 3 -> 1.5 -> 2 -> -126; -3 -> -2 -> -130 -> -128.
TEST(QuantizeTest, Int16ToInt8HandChecked) {
  TensorSpec in(kTmInt16, {4}, 0.5f), out(kTmInt8, {4}, 1.0f, -128);
  TmQuantizeParams p;
  ASSERT_EQ(tm_quantize_prepare(in.get(), out.get(), &p), kTmOk);
  EXPECT_EQ(p.multiplier, 1 << 30);
  EXPECT_EQ(p.shift, 0);
  const int16_t x[4] = {3, -3, 400, 509};
  int8_t r[4];
  tm_requantize(&p, x, r);
  EXPECT_EQ(r[0], -126);
  EXPECT_EQ(r[1], -128);
  EXPECT_EQ(r[2], 72);   // 200 - 128
  EXPECT_EQ(r[3], 127);  // 254.5 -> 255 - 128 = 127
}

// uint8 zp 128 -> int8 zp 0 with one scale is the sign flip.
TEST(QuantizeTest, Uint8ToInt8SameScaleFlipsSign) {
  TensorSpec in(kTmUInt8, {3}, 0.1f, 128), out(kTmInt8, {3}, 0.1f, 0);
  TmQuantizeParams p;
  ASSERT_EQ(tm_quantize_prepare(in.get(), out.get(), &p), kTmOk);
  const uint8_t x[3] = {0, 128, 255};
  int8_t r[3];
  tm_requantize(&p, x, r);
  EXPECT_EQ(r[0], -128);
  EXPECT_EQ(r[1], 0);
  EXPECT_EQ(r[2], 127);
}

TEST(QuantizeTest, UnsupportedPairs) {
  TensorSpec f(kTmFloat32, {2}), i32(kTmInt32, {2}, 0.1f),
      u8(kTmUInt8, {2}, 0.1f), i16(kTmInt16, {2}, 0.1f), f_out(kTmFloat32, {2});
  TmQuantizeParams p;
  EXPECT_EQ(tm_quantize_prepare(f.get(), i32.get(), &p), kTmErrorUnsupported);
  EXPECT_EQ(tm_quantize_prepare(i32.get(), i32.get(), &p), kTmErrorUnsupported);
  EXPECT_EQ(tm_quantize_prepare(u8.get(), i16.get(), &p), kTmErrorUnsupported);
  EXPECT_EQ(tm_quantize_prepare(i16.get(), f_out.get(), &p),
            kTmErrorBadArgument);
}

// Every integer pair against double arithmetic, within one unit.
template <typename In, typename Out>
void requantize_random(TmType in_type, TmType out_type, float in_scale,
                       int32_t in_zp, float out_scale, int32_t out_zp) {
  TensorSpec in(in_type, {97}, in_scale, in_zp),
      out(out_type, {97}, out_scale, out_zp);
  TmQuantizeParams p;
  ASSERT_EQ(tm_quantize_prepare(in.get(), out.get(), &p), kTmOk);
  const int64_t in_lo = std::numeric_limits<In>::min();
  const int64_t in_hi = std::numeric_limits<In>::max();
  // int32 inputs stay where the rescaled value is representable.
  const int32_t lo =
      static_cast<int32_t>(in_lo < -(1 << 24) ? -(1 << 24) : in_lo);
  const int32_t hi =
      static_cast<int32_t>(in_hi > (1 << 24) ? (1 << 24) : in_hi);
  const auto x = testing::random_values<In>(97, 31, lo, hi);
  std::vector<Out> r(97);
  tm_requantize(&p, x.data(), r.data());
  const int32_t out_lo = static_cast<int32_t>(std::numeric_limits<Out>::min());
  const int32_t out_hi = static_cast<int32_t>(std::numeric_limits<Out>::max());
  for (int i = 0; i < 97; ++i) {
    const double real = static_cast<double>(in_scale) * (x[i] - in_zp);
    EXPECT_NEAR(
        static_cast<double>(r[i]),
        testing::quantize_double(real, out_scale, out_zp, out_lo, out_hi), 1)
        << i;
  }
}

TEST(QuantizeTest, RequantizeEveryPairAgreesWithDouble) {
  requantize_random<int8_t, int8_t>(kTmInt8, kTmInt8, 0.05f, -128, 0.03f, 127);
  requantize_random<int8_t, int16_t>(kTmInt8, kTmInt16, 0.05f, 3, 0.001f, 0);
  requantize_random<int8_t, int32_t>(kTmInt8, kTmInt32, 0.05f, 3, 1e-6f, 0);
  requantize_random<int16_t, int8_t>(kTmInt16, kTmInt8, 0.0006f, 0, 0.059f,
                                     -128);
  requantize_random<int16_t, int16_t>(kTmInt16, kTmInt16, 0.0006f, 0, 0.0004f,
                                      0);
  requantize_random<int16_t, int32_t>(kTmInt16, kTmInt32, 0.0005f, 0, 1.5e-7f,
                                      0);
  requantize_random<int32_t, int8_t>(kTmInt32, kTmInt8, 1e-5f, 0, 0.7f, 5);
  requantize_random<int32_t, int16_t>(kTmInt32, kTmInt16, 1.49e-7f, 0, 0.00092f,
                                      0);
}

TEST(QuantizeTest, SameTypeMayRunInPlace) {
  TensorSpec in(kTmInt16, {50}, 0.0007f), out(kTmInt16, {50}, 0.0003f);
  TmQuantizeParams p;
  ASSERT_EQ(tm_quantize_prepare(in.get(), out.get(), &p), kTmOk);
  auto x = testing::random_values<int16_t>(50, 41, -32768, 32767);
  std::vector<int16_t> separate(50);
  tm_requantize(&p, x.data(), separate.data());
  tm_requantize(&p, x.data(), x.data());
  EXPECT_EQ(x, separate);
}

template <typename In, typename Out>
void run_quantize_golden(const testing::SeanetModel& m) {
  const TmTensor in = m.input(0), out = m.output(0);
  TmQuantizeParams p;
  ASSERT_EQ(tm_quantize_prepare(&in, &out, &p), kTmOk) << m.name;
  ASSERT_FALSE(m.pairs.empty()) << m.name;
  for (const auto& pair : m.pairs) {
    const int32_t n = tm_shape_elements(&in.shape);
    ASSERT_EQ(pair.input.size(), n * sizeof(In));
    ASSERT_EQ(pair.output.size(), n * sizeof(Out));
    const auto x = testing::from_bytes<In>(pair.input.data(), n);
    std::vector<Out> r(n);
    tm_requantize(&p, x.data(), r.data());
    EXPECT_EQ(std::memcmp(r.data(), pair.output.data(), pair.output.size()), 0)
        << m.name << " " << pair.name;
  }
}

TEST(QuantizeGoldenTest, SeanetQuantizeModelsMatchTflmByteForByte) {
  std::string error;
  const auto models = testing::load_seanet("seanet_quantize", &error);
  if (models.empty() && error.empty()) {
    GTEST_SKIP() << "no seanet_quantize models under " << testing::golden_dir();
  }
  ASSERT_EQ(error, "");
  ASSERT_EQ(models.size(), 2u);
  // quantize0: int32 -> int16; quantize1: int16 -> int32.
  ASSERT_EQ(models[0].input(0).type, kTmInt32);
  run_quantize_golden<int32_t, int16_t>(models[0]);
  ASSERT_EQ(models[1].input(0).type, kTmInt16);
  run_quantize_golden<int16_t, int32_t>(models[1]);
}

// tflm_keyword_scrambled: op 0 requantizes the int16 model input to int8,
// op 14 the int16 softmax output to int32. TFLM's intermediates for in_5.bin.
TEST(QuantizeGoldenTest, KeywordScrambledQuantizeOpsMatchTflmIntermediates) {
  const auto dir = testing::golden_dir() / "tflm_keyword_scrambled";
  if (!std::filesystem::exists(dir / "model.tflite")) {
    GTEST_SKIP() << "tflm_keyword_scrambled absent under "
                 << testing::golden_dir();
  }
  auto graph = model::read_model_file((dir / "model.tflite").string());
  ASSERT_TRUE(graph.has_value()) << graph.status().message();
  const testing::SeanetModel m{
      "tflm_keyword_scrambled", std::move(graph.value()), {}};
  struct Case {
    int op;
    std::string input_file, output_file;
  };
  const Case cases[] = {
      {0, "in_5.bin", "intermediates/op000_t0.bin"},
      {14, "intermediates/op013_t51.bin", "intermediates/op014_t53.bin"}};
  for (const Case& c : cases) {
    const model::Operator& op = m.graph.operators.at(c.op);
    ASSERT_EQ(op.builtin_code, kTmOpQuantize);
    const TmTensor in = m.view(op.inputs.at(0)), out = m.view(op.outputs.at(0));
    ASSERT_EQ(in.type, kTmInt16);
    TmQuantizeParams p;
    ASSERT_EQ(tm_quantize_prepare(&in, &out, &p), kTmOk) << c.op;
    const auto x = testing::read_bytes(dir / c.input_file);
    const auto expected = testing::read_bytes(dir / c.output_file);
    const size_t n = static_cast<size_t>(tm_shape_elements(&in.shape));
    ASSERT_EQ(x.size(), n * 2);
    ASSERT_EQ(expected.size(), n * tm_type_size(out.type));
    std::vector<uint8_t> r(expected.size());
    tm_requantize(&p, x.data(), r.data());
    EXPECT_EQ(r, expected) << "op " << c.op;
  }
}

}  // namespace
}  // namespace tierml
