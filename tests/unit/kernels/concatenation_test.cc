#include "kernels/concatenation.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace {

TmTensor make(TmType type, std::vector<int32_t> dims) {
  TmTensor t = {};
  t.type = type;
  t.shape.rank = static_cast<int32_t>(dims.size());
  for (size_t i = 0; i < dims.size(); ++i) t.shape.dims[i] = dims[i];
  return t;
}

void quantize(TmTensor* t, const float* scale, int32_t zero_point) {
  t->quant.count = 1;
  t->quant.scales = scale;
  t->quant.zero_point = zero_point;
}

TmConcatenationAttrs attrs(int32_t axis) {
  TmConcatenationAttrs a = {};
  a.axis = axis;
  a.activation = kTmActNone;
  return a;
}

TEST(Concatenation, HandCheckedInnerAxisInt8) {
  // [[1],[2]] ++ [[3,4],[5,6]] along axis 1 -> [[1,3,4],[2,5,6]]
  const float scale = 0.1f;
  TmTensor a = make(kTmInt8, {2, 1});
  TmTensor b = make(kTmInt8, {2, 2});
  TmTensor out = make(kTmInt8, {2, 3});
  quantize(&a, &scale, 3);
  quantize(&b, &scale, 3);
  quantize(&out, &scale, 3);
  const TmTensor* inputs[] = {&a, &b};
  int32_t inner[2];
  TmConcatenationParams p;
  const TmConcatenationAttrs at = attrs(-1);
  ASSERT_EQ(tm_concatenation_prepare(&at, inputs, 2, &out, inner, &p), kTmOk);
  const int8_t da[] = {1, 2}, db[] = {3, 4, 5, 6};
  const void* data[] = {da, db};
  int8_t result[6];
  tm_concatenation_s8(&p, data, result);
  const int8_t expected[] = {1, 3, 4, 2, 5, 6};
  EXPECT_EQ(0, memcmp(result, expected, sizeof(result)));
}

TEST(Concatenation, SixInputsOuterAxisFloat) {
  std::vector<TmTensor> tensors;
  std::vector<std::vector<float>> values;
  for (int i = 0; i < 6; ++i) {
    tensors.push_back(make(kTmFloat32, {1 + i % 2, 2}));
    std::vector<float> v;
    for (int j = 0; j < (1 + i % 2) * 2; ++j) v.push_back(i * 10.0f + j);
    values.push_back(v);
  }
  TmTensor out = make(kTmFloat32, {9, 2});
  std::vector<const TmTensor*> inputs;
  std::vector<const void*> data;
  std::vector<float> expected;
  for (int i = 0; i < 6; ++i) {
    inputs.push_back(&tensors[i]);
    data.push_back(values[i].data());
    expected.insert(expected.end(), values[i].begin(), values[i].end());
  }
  int32_t inner[6];
  TmConcatenationParams p;
  const TmConcatenationAttrs at = attrs(0);
  ASSERT_EQ(tm_concatenation_prepare(&at, inputs.data(), 6, &out, inner, &p),
            kTmOk);
  std::vector<float> result(18);
  tm_concatenation_f32(&p, data.data(), result.data());
  EXPECT_EQ(result, expected);
}

TEST(Concatenation, MiddleAxisOf6dInt16AndInt32) {
  // 6-D, axis 2: each outer step takes input a's 1x(1*2*1*2) then b's 2x...
  TmTensor a = make(kTmInt16, {2, 1, 1, 1, 1, 2});
  TmTensor b = make(kTmInt16, {2, 1, 2, 1, 1, 2});
  TmTensor out = make(kTmInt16, {2, 1, 3, 1, 1, 2});
  const float scale = 1.0f;
  quantize(&a, &scale, 0);
  quantize(&b, &scale, 0);
  quantize(&out, &scale, 0);
  const TmTensor* inputs[] = {&a, &b};
  int32_t inner[2];
  TmConcatenationParams p;
  const TmConcatenationAttrs at = attrs(2);
  ASSERT_EQ(tm_concatenation_prepare(&at, inputs, 2, &out, inner, &p), kTmOk);
  EXPECT_EQ(p.outer, 2);
  const int16_t da[] = {1, 2, 3, 4};
  const int16_t db[] = {10, 11, 12, 13, 20, 21, 22, 23};
  const void* data[] = {da, db};
  int16_t result[12];
  tm_concatenation_s16(&p, data, result);
  const int16_t expected[] = {1, 2, 10, 11, 12, 13, 3, 4, 20, 21, 22, 23};
  EXPECT_EQ(0, memcmp(result, expected, sizeof(result)));

  TmTensor ia = make(kTmInt32, {1}), ib = make(kTmInt32, {2});
  TmTensor iout = make(kTmInt32, {3});
  const TmTensor* iinputs[] = {&ia, &ib};
  const TmConcatenationAttrs first = attrs(0);
  ASSERT_EQ(tm_concatenation_prepare(&first, iinputs, 2, &iout, inner, &p),
            kTmOk);
  const int32_t x[] = {-7}, y[] = {8, 9};
  const void* idata[] = {x, y};
  int32_t iresult[3];
  tm_concatenation_i32(&p, idata, iresult);
  EXPECT_EQ(iresult[0], -7);
  EXPECT_EQ(iresult[1], 8);
  EXPECT_EQ(iresult[2], 9);
}

TEST(Concatenation, RejectsWhatTflmDoesNotRun) {
  const float scale = 0.1f, other = 0.2f;
  TmTensor a = make(kTmInt8, {2, 1});
  TmTensor b = make(kTmInt8, {2, 2});
  TmTensor out = make(kTmInt8, {2, 3});
  quantize(&a, &scale, 0);
  quantize(&b, &other, 0);
  quantize(&out, &scale, 0);
  const TmTensor* inputs[] = {&a, &b};
  int32_t inner[2];
  TmConcatenationParams p;
  TmConcatenationAttrs at = attrs(1);
  // Different scales would need requantizing, which TFLM does not do.
  EXPECT_EQ(tm_concatenation_prepare(&at, inputs, 2, &out, inner, &p),
            kTmErrorUnsupported);
  quantize(&b, &scale, 1);
  EXPECT_EQ(tm_concatenation_prepare(&at, inputs, 2, &out, inner, &p),
            kTmErrorUnsupported);
  quantize(&b, &scale, 0);
  EXPECT_EQ(tm_concatenation_prepare(&at, inputs, 2, &out, inner, &p), kTmOk);
  at.activation = kTmActRelu;
  EXPECT_EQ(tm_concatenation_prepare(&at, inputs, 2, &out, inner, &p),
            kTmErrorUnsupported);
  at = attrs(0);  // dims other than the axis differ
  EXPECT_EQ(tm_concatenation_prepare(&at, inputs, 2, &out, inner, &p),
            kTmErrorBadArgument);
  at = attrs(2);
  EXPECT_EQ(tm_concatenation_prepare(&at, inputs, 2, &out, inner, &p),
            kTmErrorBadArgument);
  TmTensor small = make(kTmInt8, {2, 2});
  quantize(&small, &scale, 0);
  at = attrs(1);
  EXPECT_EQ(tm_concatenation_prepare(&at, inputs, 2, &small, inner, &p),
            kTmErrorBadArgument);
}

}  // namespace
