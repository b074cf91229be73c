#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "target/profile_run.h"

namespace tierml::target {
namespace {

std::vector<uint8_t> floats_then_bytes(std::vector<float> floats,
                                       std::vector<uint8_t> bytes) {
  std::vector<uint8_t> out(floats.size() * 4);
  std::memcpy(out.data(), floats.data(), out.size());
  out.insert(out.end(), bytes.begin(), bytes.end());
  return out;
}

TEST(MismatchedBytes, FloatTensorsWithinTheToleranceOtherBytesExactly) {
  const std::vector<OutputTensor> tensors = {{true, 8}, {false, 2}};
  const auto host = floats_then_bytes({1.0f, 1e-7f}, {5, 6});
  // A few ULPs on the first value, under the 1e-6 floor on the second.
  EXPECT_EQ(mismatched_bytes(floats_then_bytes({1.0000005f, 5e-7f}, {5, 6}),
                             host, tensors),
            0u);
  // 2e-5 relative is a whole differing value; the int8 tensor is exact.
  EXPECT_EQ(mismatched_bytes(floats_then_bytes({1.00002f, 1e-7f}, {5, 7}), host,
                             tensors),
            5u);
  // Without tensors every byte must be equal.
  EXPECT_EQ(
      mismatched_bytes(floats_then_bytes({1.0000005f, 1e-7f}, {5, 6}), host),
      1u);
  // A missing byte counts.
  auto shorter = host;
  shorter.pop_back();
  EXPECT_EQ(mismatched_bytes(shorter, host, tensors), 1u);
}

}  // namespace
}  // namespace tierml::target
