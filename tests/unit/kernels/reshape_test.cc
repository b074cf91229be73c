#include "kernels/reshape.h"

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

TEST(Reshape, PrepareCountsBytesOfTheElements) {
  TmTensor input = make(kTmInt16, {2, 3, 4});
  TmTensor output = make(kTmInt16, {6, 4});
  size_t bytes = 0;
  ASSERT_EQ(tm_reshape_prepare(&input, &output, &bytes), kTmOk);
  EXPECT_EQ(bytes, 48u);
  TmTensor scalar_in = make(kTmFloat32, {});
  TmTensor one = make(kTmFloat32, {1, 1});
  ASSERT_EQ(tm_reshape_prepare(&scalar_in, &one, &bytes), kTmOk);
  EXPECT_EQ(bytes, 4u);
}

TEST(Reshape, PrepareRejectsCountOrTypeMismatch) {
  TmTensor input = make(kTmInt8, {2, 3});
  TmTensor fewer = make(kTmInt8, {5});
  TmTensor other_type = make(kTmInt16, {6});
  size_t bytes = 0;
  EXPECT_EQ(tm_reshape_prepare(&input, &fewer, &bytes), kTmErrorBadArgument);
  EXPECT_EQ(tm_reshape_prepare(&input, &other_type, &bytes),
            kTmErrorBadArgument);
  TmTensor strings = make(kTmString, {6});
  EXPECT_EQ(tm_reshape_prepare(&strings, &strings, &bytes),
            kTmErrorUnsupported);
}

TEST(Reshape, CopiesBytes) {
  const int8_t in[] = {1, -2, 3, -4, 5, -6};
  int8_t out[6] = {};
  tm_reshape(in, out, sizeof(in));
  EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
}

TEST(Reshape, AliasedBuffersAreLeftAsTheyAre) {
  int16_t buffer[] = {7, 8, 9};
  tm_reshape(buffer, buffer, sizeof(buffer));
  EXPECT_EQ(buffer[0], 7);
  EXPECT_EQ(buffer[1], 8);
  EXPECT_EQ(buffer[2], 9);
}

TEST(Reshape, OverlappingBuffersCopyLikeMemmove) {
  uint8_t buffer[] = {1, 2, 3, 4, 5, 0, 0};
  tm_reshape(buffer, buffer + 2, 5);
  const uint8_t expected[] = {1, 2, 1, 2, 3, 4, 5};
  EXPECT_EQ(0, memcmp(buffer, expected, sizeof(buffer)));
}

}  // namespace
