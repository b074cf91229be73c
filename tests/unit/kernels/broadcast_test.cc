#include "kernels/broadcast.h"

#include <gtest/gtest.h>

#include <vector>

namespace tierml {
namespace {

TmShape shape_of(const std::vector<int32_t>& dims) {
  TmShape s = {};
  s.rank = static_cast<int32_t>(dims.size());
  for (size_t d = 0; d < dims.size(); ++d) s.dims[d] = dims[d];
  return s;
}

// Row-major index into `dims` (right-aligned against the output's rank) of
// the output coordinate `coord`, repeating size-1 dimensions.
int32_t naive_index(const std::vector<int32_t>& dims,
                    const std::vector<int32_t>& coord) {
  const size_t lead = coord.size() - dims.size();
  int32_t index = 0;
  for (size_t d = 0; d < dims.size(); ++d) {
    const int32_t c = dims[d] == 1 ? 0 : coord[lead + d];
    index = index * dims[d] + c;
  }
  return index;
}

void check_walk(const std::vector<int32_t>& a, const std::vector<int32_t>& b,
                const std::vector<int32_t>& out) {
  const TmShape sa = shape_of(a), sb = shape_of(b), so = shape_of(out);
  TmBroadcast bc;
  ASSERT_EQ(tm_broadcast_prepare(&sa, &sb, &so, &bc), kTmOk);
  std::vector<int32_t> coord(out.size(), 0);
  int32_t expected_out = 0;
  broadcast_walk(bc, [&](int32_t i1, int32_t i2, int32_t o) {
    ASSERT_EQ(o, expected_out);
    EXPECT_EQ(i1, naive_index(a, coord));
    EXPECT_EQ(i2, naive_index(b, coord));
    ++expected_out;
    for (int d = static_cast<int>(out.size()) - 1; d >= 0; --d) {
      if (++coord[d] < out[d]) break;
      coord[d] = 0;
    }
  });
  EXPECT_EQ(expected_out, tm_shape_elements(&so));
}

// Every pattern of size-1 dimensions in either operand, at every rank up to
// six, and every shorter (leading-dims-dropped) second operand.
TEST(BroadcastTest, EveryRankAndBroadcastPatternMatchesNaiveIndexing) {
  const int32_t extents[6] = {2, 3, 1, 4, 2, 3};
  for (int rank = 1; rank <= 6; ++rank) {
    std::vector<int32_t> out(extents + 6 - rank, extents + 6);
    for (int m1 = 0; m1 < (1 << rank); ++m1) {
      for (int m2 = 0; m2 < (1 << rank); ++m2) {
        std::vector<int32_t> a = out, b = out;
        for (int d = 0; d < rank; ++d) {
          if (m1 & (1 << d)) a[d] = 1;
          if (m2 & (1 << d)) b[d] = 1;
        }
        for (int drop = 0; drop < rank; ++drop) {
          std::vector<int32_t> short_b(b.begin() + drop, b.end());
          // The output is whatever a and short_b broadcast to.
          std::vector<int32_t> o = a;
          for (int d = drop; d < rank; ++d) {
            if (short_b[d - drop] > o[d]) o[d] = short_b[d - drop];
          }
          check_walk(a, short_b, o);
          check_walk(short_b, a, o);
        }
      }
    }
  }
}

TEST(BroadcastTest, SeanetSubPattern) {
  check_walk({1, 2, 12, 64}, {64}, {1, 2, 12, 64});
}

TEST(BroadcastTest, ScalarOperands) {
  check_walk({}, {3, 2}, {3, 2});
  check_walk({}, {}, {});
}

TEST(BroadcastTest, RejectsIncompatibleShapes) {
  TmBroadcast bc;
  TmShape a = shape_of({2, 3}), b = shape_of({2}), out = shape_of({2, 3});
  EXPECT_EQ(tm_broadcast_prepare(&a, &b, &out, &bc), kTmErrorBadArgument);
  b = shape_of({3});
  TmShape wrong_out = shape_of({2, 4});
  EXPECT_EQ(tm_broadcast_prepare(&a, &b, &wrong_out, &bc), kTmErrorBadArgument);
  TmShape low_rank_out = shape_of({6});
  EXPECT_EQ(tm_broadcast_prepare(&a, &b, &low_rank_out, &bc),
            kTmErrorBadArgument);
}

TEST(BroadcastTest, EmptyOutputVisitsNothing) {
  TmShape a = shape_of({0, 3}), b = shape_of({3}), out = shape_of({0, 3});
  TmBroadcast bc;
  ASSERT_EQ(tm_broadcast_prepare(&a, &b, &out, &bc), kTmOk);
  int visits = 0;
  broadcast_walk(bc, [&](int32_t, int32_t, int32_t) { ++visits; });
  EXPECT_EQ(visits, 0);
}

}  // namespace
}  // namespace tierml
