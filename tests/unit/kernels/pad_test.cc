#include "kernels/pad.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "seanet_single_op.h"

namespace {

TmTensor make(TmType type, std::vector<int32_t> dims, void* data = nullptr) {
  TmTensor t = {};
  t.type = type;
  t.shape.rank = static_cast<int32_t>(dims.size());
  for (size_t i = 0; i < dims.size(); ++i) t.shape.dims[i] = dims[i];
  t.data = data;
  return t;
}

void quantize(TmTensor* t, const float* scale, int32_t zero_point) {
  t->quant.count = 1;
  t->quant.scales = scale;
  t->quant.zero_point = zero_point;
}

// Independent oracle: each output element by its multi-index.
template <typename T>
std::vector<T> oracle(const std::vector<int32_t>& in_dims,
                      const std::vector<int32_t>& pads,
                      const std::vector<T>& in, T fill) {
  const size_t rank = in_dims.size();
  std::vector<int32_t> out_dims(rank);
  size_t total = 1;
  for (size_t d = 0; d < rank; ++d) {
    out_dims[d] = in_dims[d] + pads[2 * d] + pads[2 * d + 1];
    total *= out_dims[d];
  }
  std::vector<T> out(total);
  for (size_t flat = 0; flat < total; ++flat) {
    size_t rest = flat, in_flat = 0, in_stride = 1;
    bool inside = true;
    for (size_t d = rank; d-- > 0;) {
      const int32_t at = static_cast<int32_t>(rest % out_dims[d]) - pads[2 * d];
      rest /= out_dims[d];
      if (at < 0 || at >= in_dims[d]) inside = false;
      in_flat += at * in_stride;
      in_stride *= in_dims[d];
    }
    out[flat] = inside ? in[in_flat] : fill;
  }
  return out;
}

TEST(Pad, HandCheckedInt8UsesOutputZeroPoint) {
  int8_t in[] = {1, 2, 3, 4};
  int32_t pads[] = {1, 0, 0, 2};
  const float scale = 0.5f;
  TmTensor input = make(kTmInt8, {2, 2}, in);
  TmTensor paddings = make(kTmInt32, {2, 2}, pads);
  TmTensor output = make(kTmInt8, {3, 4});
  quantize(&input, &scale, -5);
  quantize(&output, &scale, -5);
  TmPadParams p;
  ASSERT_EQ(tm_pad_prepare(&input, &paddings, nullptr, &output, &p), kTmOk);
  EXPECT_EQ(p.default_pad, -5);
  int8_t out[12];
  tm_pad_s8(&p, in, static_cast<int8_t>(p.default_pad), out);
  const int8_t expected[] = {-5, -5, -5, -5, 1, 2, -5, -5, 3, 4, -5, -5};
  EXPECT_EQ(0, memcmp(out, expected, sizeof(out)));
}

TEST(Pad, EveryRankMatchesOracle) {
  for (int rank = 1; rank <= TM_MAX_DIMS; ++rank) {
    std::vector<int32_t> dims, pads;
    for (int d = 0; d < rank; ++d) {
      dims.push_back(1 + (d * 2 + rank) % 3);
      pads.push_back((d + rank) % 3);  // some zero, some not
      pads.push_back((d * 5 + 1) % 3);
    }
    size_t count = 1;
    for (int32_t v : dims) count *= v;
    std::vector<int16_t> in(count);
    for (size_t i = 0; i < count; ++i)
      in[i] = static_cast<int16_t>(i * 37 - 900);
    const int16_t fill = 77;
    const std::vector<int16_t> expected = oracle(dims, pads, in, fill);
    std::vector<int32_t> out_dims;
    for (int d = 0; d < rank; ++d) {
      out_dims.push_back(dims[d] + pads[2 * d] + pads[2 * d + 1]);
    }
    int16_t constant_value = fill;
    TmTensor input = make(kTmInt16, dims, in.data());
    TmTensor paddings = make(kTmInt32, {rank, 2}, pads.data());
    TmTensor constant = make(kTmInt16, {}, &constant_value);
    TmTensor output = make(kTmInt16, out_dims);
    TmPadParams p;
    ASSERT_EQ(tm_pad_prepare(&input, &paddings, &constant, &output, &p), kTmOk)
        << "rank " << rank;
    std::vector<int16_t> out(expected.size(), -1);
    tm_pad_s16(&p, in.data(), fill, out.data());
    EXPECT_EQ(out, expected) << "rank " << rank;
  }
}

TEST(Pad, FloatWithInt64PaddingsFillsZero) {
  float in[] = {1.5f, -2.0f, 3.25f};
  int64_t pads[] = {2, 1};
  TmTensor input = make(kTmFloat32, {3}, in);
  TmTensor paddings = make(kTmInt64, {1, 2}, pads);
  TmTensor output = make(kTmFloat32, {6});
  TmPadParams p;
  ASSERT_EQ(tm_pad_prepare(&input, &paddings, nullptr, &output, &p), kTmOk);
  float out[6];
  tm_pad_f32(&p, in, 0.0f, out);
  const float expected[] = {0.0f, 0.0f, 1.5f, -2.0f, 3.25f, 0.0f};
  EXPECT_EQ(0, memcmp(out, expected, sizeof(out)));
}

TEST(Pad, Int32PadV2BroadcastsConstantOverWholeBorderRows) {
  int32_t in[] = {7, 8};
  int32_t pads[] = {1, 1, 1, 0};
  int32_t fill = -123456;
  TmTensor input = make(kTmInt32, {1, 2}, in);
  TmTensor paddings = make(kTmInt32, {2, 2}, pads);
  TmTensor constant = make(kTmInt32, {1}, &fill);
  TmTensor output = make(kTmInt32, {3, 3});
  TmPadParams p;
  ASSERT_EQ(tm_pad_prepare(&input, &paddings, &constant, &output, &p), kTmOk);
  int32_t out[9];
  tm_pad_i32(&p, in, fill, out);
  const int32_t f = fill;
  const int32_t expected[] = {f, f, f, f, 7, 8, f, f, f};
  EXPECT_EQ(0, memcmp(out, expected, sizeof(out)));
}

TEST(Pad, Int16PadFillsZeroLikeTflm) {
  int16_t in[] = {5};
  int32_t pads[] = {1, 1};
  const float scale = 1.0f;
  TmTensor input = make(kTmInt16, {1}, in);
  TmTensor paddings = make(kTmInt32, {1, 2}, pads);
  TmTensor output = make(kTmInt16, {3});
  quantize(&input, &scale, 3);
  quantize(&output, &scale, 3);
  TmPadParams p;
  ASSERT_EQ(tm_pad_prepare(&input, &paddings, nullptr, &output, &p), kTmOk);
  EXPECT_EQ(p.default_pad, 0);
}

TEST(Pad, RejectsBadArguments) {
  int8_t in[4] = {};
  int32_t pads[] = {1, 0, 0, 2};
  int32_t negative[] = {-1, 0, 0, 2};
  const float scale = 0.5f, other_scale = 0.25f;
  TmTensor input = make(kTmInt8, {2, 2}, in);
  TmTensor paddings = make(kTmInt32, {2, 2}, pads);
  TmTensor output = make(kTmInt8, {3, 4});
  quantize(&input, &scale, 0);
  quantize(&output, &scale, 0);
  TmPadParams p;

  TmTensor wrong_out = make(kTmInt8, {3, 5});
  quantize(&wrong_out, &scale, 0);
  EXPECT_EQ(tm_pad_prepare(&input, &paddings, nullptr, &wrong_out, &p),
            kTmErrorBadArgument);
  TmTensor neg = make(kTmInt32, {2, 2}, negative);
  TmTensor out_neg = make(kTmInt8, {1, 4});
  quantize(&out_neg, &scale, 0);
  EXPECT_EQ(tm_pad_prepare(&input, &neg, nullptr, &out_neg, &p),
            kTmErrorBadArgument);
  TmTensor dynamic = make(kTmInt32, {2, 2});
  EXPECT_EQ(tm_pad_prepare(&input, &dynamic, nullptr, &output, &p),
            kTmErrorUnsupported);
  int8_t c = 0;
  TmTensor constant = make(kTmInt8, {}, &c);
  quantize(&constant, &other_scale, 0);
  EXPECT_EQ(tm_pad_prepare(&input, &paddings, &constant, &output, &p),
            kTmErrorBadArgument);
  quantize(&constant, &scale, 0);
  EXPECT_EQ(tm_pad_prepare(&input, &paddings, &constant, &output, &p), kTmOk);
  TmTensor uint8_in = make(kTmUInt8, {2, 2}, in);
  EXPECT_EQ(tm_pad_prepare(&uint8_in, &paddings, nullptr, &output, &p),
            kTmErrorUnsupported);
}

TEST(Pad, SeanetGoldenByteForByte) {
  std::string error;
  auto models = tierml::testing::load_seanet("seanet_pad", &error);
  if (models.empty() && error.empty()) {
    GTEST_SKIP() << "no seanet_pad* models under "
                 << tierml::testing::golden_dir();
  }
  EXPECT_EQ(error, "");
  int compared = 0;
  for (const auto& m : models) {
    SCOPED_TRACE(m.name);
    ASSERT_EQ(m.op().builtin_code, kTmOpPad);
    TmTensor input = m.input(0);
    TmTensor paddings = m.input(1);
    TmTensor output = m.output(0);
    ASSERT_EQ(input.type, kTmInt16);
    TmPadParams p;
    ASSERT_EQ(tm_pad_prepare(&input, &paddings, nullptr, &output, &p), kTmOk);
    for (const auto& pair : m.pairs) {
      ASSERT_EQ(pair.input.size(), tm_shape_elements(&input.shape) * 2u);
      std::vector<int16_t> in(pair.input.size() / 2);
      memcpy(in.data(), pair.input.data(), pair.input.size());
      std::vector<uint8_t> out(pair.output.size());
      ASSERT_EQ(out.size(), tm_shape_elements(&output.shape) * 2u);
      tm_pad_s16(&p, in.data(), static_cast<int16_t>(p.default_pad),
                 reinterpret_cast<int16_t*>(out.data()));
      EXPECT_EQ(out, pair.output) << pair.name;
      ++compared;
    }
  }
  EXPECT_GT(compared, 0);
}

}  // namespace
