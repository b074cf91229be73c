#include "kernels/transpose.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <numeric>
#include <vector>

namespace {

TmTensor make(TmType type, std::vector<int32_t> dims) {
  TmTensor t = {};
  t.type = type;
  t.shape.rank = static_cast<int32_t>(dims.size());
  for (size_t i = 0; i < dims.size(); ++i) t.shape.dims[i] = dims[i];
  return t;
}

TEST(Transpose, HandChecked2d) {
  // [[0,1,2],[3,4,5]] -> [[0,3],[1,4],[2,5]]
  const int32_t perm[] = {1, 0};
  TmTensor input = make(kTmInt8, {2, 3});
  TmTensor output = make(kTmInt8, {3, 2});
  TmTransposeParams p;
  ASSERT_EQ(tm_transpose_prepare(&input, perm, 2, &output, &p), kTmOk);
  const int8_t in[] = {0, 1, 2, 3, 4, 5};
  int8_t out[6];
  tm_transpose_s8(&p, in, out);
  const int8_t expected[] = {0, 3, 1, 4, 2, 5};
  EXPECT_EQ(0, memcmp(out, expected, sizeof(out)));
}

TEST(Transpose, Nhwc_To_Nchw_Float) {
  const int32_t perm[] = {0, 3, 1, 2};
  TmTensor input = make(kTmFloat32, {1, 2, 2, 2});
  TmTensor output = make(kTmFloat32, {1, 2, 2, 2});
  TmTransposeParams p;
  ASSERT_EQ(tm_transpose_prepare(&input, perm, 4, &output, &p), kTmOk);
  // in[h][w][c] = h*100 + w*10 + c
  const float in[] = {0, 1, 10, 11, 100, 101, 110, 111};
  float out[8];
  tm_transpose_f32(&p, in, out);
  const float expected[] = {0, 10, 100, 110, 1, 11, 101, 111};
  EXPECT_EQ(0, memcmp(out, expected, sizeof(out)));
}

// Every rank with a rotation and a reversal, checked element by element
// against the multi-index definition out[i...] = in[i permuted back].
TEST(Transpose, EveryRankMatchesDefinition) {
  for (int rank = 1; rank <= TM_MAX_DIMS; ++rank) {
    for (int kind = 0; kind < 2; ++kind) {
      std::vector<int32_t> dims, perm(rank), out_dims(rank);
      for (int d = 0; d < rank; ++d) dims.push_back(2 + (d % 3));
      for (int d = 0; d < rank; ++d) {
        perm[d] = kind == 0 ? (d + 1) % rank : rank - 1 - d;
        out_dims[d] = dims[perm[d]];
      }
      int32_t total = 1;
      for (int32_t v : dims) total *= v;
      std::vector<int16_t> in(total);
      std::iota(in.begin(), in.end(), int16_t{-500});
      TmTensor input = make(kTmInt16, dims);
      TmTensor output = make(kTmInt16, out_dims);
      TmTransposeParams p;
      ASSERT_EQ(tm_transpose_prepare(&input, perm.data(), rank, &output, &p),
                kTmOk);
      std::vector<int16_t> out(total);
      tm_transpose_s16(&p, in.data(), out.data());
      for (int32_t flat = 0; flat < total; ++flat) {
        std::vector<int32_t> out_index(rank), in_index(rank);
        for (int32_t d = rank - 1, rest = flat; d >= 0; --d) {
          out_index[d] = rest % out_dims[d];
          rest /= out_dims[d];
        }
        for (int d = 0; d < rank; ++d) in_index[perm[d]] = out_index[d];
        int32_t in_flat = 0;
        for (int d = 0; d < rank; ++d)
          in_flat = in_flat * dims[d] + in_index[d];
        ASSERT_EQ(out[flat], in[in_flat])
            << "rank " << rank << " kind " << kind << " at " << flat;
      }
    }
  }
}

TEST(Transpose, Int32) {
  const int32_t perm[] = {1, 0};
  TmTensor input = make(kTmInt32, {1, 3});
  TmTensor output = make(kTmInt32, {3, 1});
  TmTransposeParams p;
  ASSERT_EQ(tm_transpose_prepare(&input, perm, 2, &output, &p), kTmOk);
  const int32_t in[] = {-1, 2147483647, 5};
  int32_t out[3];
  tm_transpose_i32(&p, in, out);
  EXPECT_EQ(0, memcmp(out, in, sizeof(out)));
}

TEST(Transpose, RejectsBadPermutationsAndShapes) {
  TmTensor input = make(kTmInt8, {2, 3});
  TmTensor output = make(kTmInt8, {3, 2});
  TmTransposeParams p;
  const int32_t dup[] = {0, 0};
  const int32_t out_of_range[] = {0, 2};
  const int32_t negative[] = {-1, 0};
  const int32_t identity[] = {0, 1};
  EXPECT_EQ(tm_transpose_prepare(&input, dup, 2, &output, &p),
            kTmErrorBadArgument);
  EXPECT_EQ(tm_transpose_prepare(&input, out_of_range, 2, &output, &p),
            kTmErrorBadArgument);
  EXPECT_EQ(tm_transpose_prepare(&input, negative, 2, &output, &p),
            kTmErrorBadArgument);
  EXPECT_EQ(tm_transpose_prepare(&input, identity, 2, &output, &p),
            kTmErrorBadArgument);
  EXPECT_EQ(tm_transpose_prepare(&input, identity, 1, &input, &p),
            kTmErrorBadArgument);
  TmTensor uint8_in = make(kTmUInt8, {2, 3});
  EXPECT_EQ(tm_transpose_prepare(&uint8_in, identity, 2, &uint8_in, &p),
            kTmErrorUnsupported);
}

}  // namespace
