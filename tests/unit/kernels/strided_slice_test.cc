#include "kernels/strided_slice.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <numeric>
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

struct Slice {
  std::vector<int32_t> begin, end, strides;
  TmStridedSliceAttrs attrs = {};
};

// Runs an int32 slice of input (dims in_dims, values = flat index unless
// given) into an output of out_dims; fails the test on a prepare error.
std::vector<int32_t> run(const Slice& s, const std::vector<int32_t>& in_dims,
                         const std::vector<int32_t>& out_dims,
                         std::vector<int32_t> values = {}) {
  int32_t count = 1;
  for (int32_t d : in_dims) count *= d;
  if (values.empty()) {
    values.resize(count);
    std::iota(values.begin(), values.end(), 0);
  }
  TmTensor input = make(kTmInt32, in_dims, values.data());
  TmTensor output = make(kTmInt32, out_dims);
  TmStridedSliceParams p;
  const TmStatus status = tm_strided_slice_prepare(
      &s.attrs, &input, s.begin.data(), s.end.data(), s.strides.data(),
      static_cast<int32_t>(s.begin.size()), &output, &p);
  EXPECT_EQ(status, kTmOk);
  if (status != kTmOk) return {};
  std::vector<int32_t> out(tm_shape_elements(&output.shape), -999);
  tm_strided_slice_i32(&p, values.data(), out.data());
  return out;
}

TmStatus prepare_status(const Slice& s, const std::vector<int32_t>& in_dims,
                        const std::vector<int32_t>& out_dims,
                        TmType type = kTmInt32) {
  TmTensor input = make(type, in_dims);
  TmTensor output = make(type, out_dims);
  TmStridedSliceParams p;
  return tm_strided_slice_prepare(
      &s.attrs, &input, s.begin.data(), s.end.data(), s.strides.data(),
      static_cast<int32_t>(s.begin.size()), &output, &p);
}

using V = std::vector<int32_t>;

TEST(StridedSlice, PositiveStride) {
  EXPECT_EQ(run({{1}, {8}, {3}}, {10}, {3}), (V{1, 4, 7}));
}

TEST(StridedSlice, NegativeStrideAndNegativeBegin) {
  EXPECT_EQ(run({{-1}, {0}, {-2}}, {10}, {5}), (V{9, 7, 5, 3, 1}));
}

TEST(StridedSlice, BeginMaskWithNegativeStrideStartsAtLast) {
  Slice s{{0}, {2}, {-3}};
  s.attrs.begin_mask = 1;
  EXPECT_EQ(run(s, {10}, {3}), (V{9, 6, 3}));
}

TEST(StridedSlice, EndMaskWithNegativeStrideRunsToFirst) {
  Slice s{{4}, {7}, {-1}};
  s.attrs.end_mask = 1;
  EXPECT_EQ(run(s, {10}, {5}), (V{4, 3, 2, 1, 0}));
}

TEST(StridedSlice, OutOfRangeIndicesClamp) {
  EXPECT_EQ(run({{-100}, {100}, {4}}, {10}, {3}), (V{0, 4, 8}));
  EXPECT_EQ(run({{100}, {-100}, {-4}}, {10}, {3}), (V{9, 5, 1}));
}

// A stride far beyond the axis takes one element; the found-by-fuzzing
// overflow was its product with the inner axes' element count (4032 here).
TEST(StridedSlice, HugeStrideTakesOneElement) {
  Slice s{{1, 0}, {4, 4032}, {2147483000, 1}};
  std::vector<int32_t> expected(4032);
  std::iota(expected.begin(), expected.end(), 4032);
  EXPECT_EQ(run(s, {4, 4032}, {1, 4032}), expected);
}

TEST(StridedSlice, EmptySlice) {
  EXPECT_EQ(run({{5}, {2}, {1}}, {10}, {0}), V{});
}

TEST(StridedSlice, ShrinkAxisDropsDim) {
  // 3x4 input, values r*10+c.
  V values = {0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23};
  Slice s{{1, 0}, {2, 4}, {1, 1}};
  s.attrs.shrink_axis_mask = 1;
  EXPECT_EQ(run(s, {3, 4}, {4}, values), (V{10, 11, 12, 13}));
  Slice last{{-1, 1}, {0, 0}, {1, 1}};
  last.attrs.shrink_axis_mask = 1;
  last.attrs.end_mask = 2;
  EXPECT_EQ(run(last, {3, 4}, {3}, values), (V{21, 22, 23}));
  Slice both{{2, -2}, {0, 0}, {1, 1}};
  both.attrs.shrink_axis_mask = 3;
  EXPECT_EQ(run(both, {3, 4}, {}, values), (V{22}));
}

TEST(StridedSlice, EllipsisCoversLeadingDims) {
  // x[..., 1:3] on 2x3x4 with values a*100+b*10+c.
  V values;
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 3; ++b)
      for (int c = 0; c < 4; ++c) values.push_back(a * 100 + b * 10 + c);
  Slice s{{0, 1}, {0, 3}, {1, 1}};
  s.attrs.ellipsis_mask = 1;
  V expected;
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 3; ++b)
      for (int c = 1; c < 3; ++c) expected.push_back(a * 100 + b * 10 + c);
  EXPECT_EQ(run(s, {2, 3, 4}, {2, 3, 2}, values), expected);
  // x[1, ...] : ellipsis after a shrunk index.
  Slice t{{1, 0}, {2, 0}, {1, 1}};
  t.attrs.shrink_axis_mask = 1;
  t.attrs.ellipsis_mask = 2;
  V second(values.begin() + 12, values.end());
  EXPECT_EQ(run(t, {2, 3, 4}, {3, 4}, values), second);
}

TEST(StridedSlice, NewAxisInsertsUnitDim) {
  // x[None, 0:3] on a 3-vector.
  Slice s{{0, 0}, {1, 3}, {1, 1}};
  s.attrs.new_axis_mask = 1;
  EXPECT_EQ(run(s, {3}, {1, 3}), (V{0, 1, 2}));
  // x[..., None] on 2x3: ellipsis then a new trailing axis.
  Slice t{{0, 0}, {0, 0}, {1, 1}};
  t.attrs.ellipsis_mask = 1;
  t.attrs.new_axis_mask = 2;
  EXPECT_EQ(run(t, {2, 3}, {2, 3, 1}), (V{0, 1, 2, 3, 4, 5}));
  // x[:, None, ::-1] on 2x3.
  Slice u{{0, 0, 0}, {0, 1, 0}, {1, 1, -1}};
  u.attrs.begin_mask = 5;
  u.attrs.end_mask = 5;
  u.attrs.new_axis_mask = 2;
  EXPECT_EQ(run(u, {2, 3}, {2, 1, 3}), (V{2, 1, 0, 5, 4, 3}));
}

TEST(StridedSlice, OffsetCountsEndFromBegin) {
  Slice s{{2}, {3}, {1}};
  s.attrs.offset = 1;
  EXPECT_EQ(run(s, {10}, {3}), (V{2, 3, 4}));
  Slice back{{-2}, {-3}, {-1}};
  back.attrs.offset = 1;
  EXPECT_EQ(run(back, {10}, {3}), (V{8, 7, 6}));
}

TEST(StridedSlice, EveryRankReversedMatchesOracle) {
  for (int rank = 1; rank <= TM_STRIDED_SLICE_MAX_DIMS; ++rank) {
    V dims;
    for (int d = 0; d < rank; ++d) dims.push_back(2 + (d + rank) % 3);
    Slice s{V(rank, 0), V(rank, 0), V(rank, -1)};
    s.attrs.begin_mask = s.attrs.end_mask = (1 << rank) - 1;
    const V out = run(s, dims, dims);
    int32_t total = 1;
    for (int32_t d : dims) total *= d;
    // Reversing every dim reverses the flat order.
    V expected(total);
    for (int32_t i = 0; i < total; ++i) expected[i] = total - 1 - i;
    EXPECT_EQ(out, expected) << "rank " << rank;
  }
}

TEST(StridedSlice, EveryTypeCopiesTheSameElements) {
  Slice s{{1, 0}, {3, 3}, {1, 2}};
  int8_t i8[] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
  int16_t i16[] = {0, -1, -2, -3, -4, -5, -6, -7, -8};
  float f32[] = {0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f, 7.5f, 8.5f};
  TmTensor input = make(kTmInt8, {3, 3});
  TmTensor output = make(kTmInt8, {2, 2});
  TmStridedSliceParams p;
  ASSERT_EQ(
      tm_strided_slice_prepare(&s.attrs, &input, s.begin.data(), s.end.data(),
                               s.strides.data(), 2, &output, &p),
      kTmOk);
  int8_t o8[4];
  int16_t o16[4];
  float of[4];
  tm_strided_slice_s8(&p, i8, o8);
  tm_strided_slice_s16(&p, i16, o16);
  tm_strided_slice_f32(&p, f32, of);
  const int8_t e8[] = {3, 5, 6, 8};
  const int16_t e16[] = {-3, -5, -6, -8};
  const float ef[] = {3.5f, 5.5f, 6.5f, 8.5f};
  EXPECT_EQ(0, memcmp(o8, e8, sizeof(o8)));
  EXPECT_EQ(0, memcmp(o16, e16, sizeof(o16)));
  EXPECT_EQ(0, memcmp(of, ef, sizeof(of)));
}

TEST(StridedSlice, RejectsWhatItCannotRun) {
  EXPECT_EQ(prepare_status({{0}, {4}, {0}}, {10}, {4}), kTmErrorBadArgument);
  EXPECT_EQ(prepare_status({{0}, {4}, {1}}, {10}, {5}), kTmErrorBadArgument);
  EXPECT_EQ(prepare_status({{0}, {4}, {1}}, {10}, {4, 1}), kTmErrorBadArgument);
  Slice out_of_range{{12}, {13}, {1}};
  out_of_range.attrs.shrink_axis_mask = 1;
  EXPECT_EQ(prepare_status(out_of_range, {10}, {}), kTmErrorBadArgument);
  EXPECT_EQ(prepare_status({V(6, 0), V(6, 1), V(6, 1)}, {1, 1, 1, 1, 1, 1},
                           {1, 1, 1, 1, 1, 1}),
            kTmErrorUnsupported);
  Slice six{{0, 0}, {1, 1}, {1, 1}};
  six.attrs.new_axis_mask = 1;
  EXPECT_EQ(prepare_status(six, {1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1}),
            kTmErrorUnsupported);
  EXPECT_EQ(prepare_status({{0}, {4}, {1}}, {10}, {4}, kTmUInt8),
            kTmErrorUnsupported);
}

TEST(StridedSlice, SeanetGoldenByteForByte) {
  std::string error;
  auto models = tierml::testing::load_seanet("seanet_strided_slice", &error);
  if (models.empty() && error.empty()) {
    GTEST_SKIP() << "no seanet_strided_slice* models under "
                 << tierml::testing::golden_dir();
  }
  EXPECT_EQ(error, "");
  int compared = 0;
  for (const auto& m : models) {
    SCOPED_TRACE(m.name);
    ASSERT_EQ(m.op().builtin_code, kTmOpStridedSlice);
    TmTensor input = m.input(0);
    TmTensor begin = m.input(1);
    TmTensor end = m.input(2);
    TmTensor strides = m.input(3);
    TmTensor output = m.output(0);
    ASSERT_EQ(input.type, kTmInt16);
    ASSERT_NE(begin.data, nullptr);
    TmStridedSliceParams p;
    ASSERT_EQ(
        tm_strided_slice_prepare(&m.op().attrs.u.strided_slice, &input,
                                 static_cast<const int32_t*>(begin.data),
                                 static_cast<const int32_t*>(end.data),
                                 static_cast<const int32_t*>(strides.data),
                                 tm_shape_elements(&begin.shape), &output, &p),
        kTmOk);
    for (const auto& pair : m.pairs) {
      ASSERT_EQ(pair.input.size(), tm_shape_elements(&input.shape) * 2u);
      std::vector<int16_t> in(pair.input.size() / 2);
      memcpy(in.data(), pair.input.data(), pair.input.size());
      std::vector<uint8_t> out(pair.output.size());
      ASSERT_EQ(out.size(), tm_shape_elements(&output.shape) * 2u);
      tm_strided_slice_s16(&p, in.data(),
                           reinterpret_cast<int16_t*>(out.data()));
      EXPECT_EQ(out, pair.output) << pair.name;
      ++compared;
    }
  }
  EXPECT_GT(compared, 0);
}

}  // namespace
