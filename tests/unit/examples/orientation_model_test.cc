// The demo model, written by tierml's writer and run by its interpreter,
// against the same computation in float.
#include "orientation_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "model/writer.h"
#include "runtime_host/host_interpreter.h"

namespace tierml::examples {
namespace {

struct Sample {
  float x, y, z;
};

class OrientationModel : public ::testing::TestWithParam<Sample> {};

TEST_P(OrientationModel, MatchesFloatReference) {
  auto blob = model::write_model(orientation_model());
  ASSERT_TRUE(blob.has_value()) << blob.status().message();
  auto runner = HostInterpreter::load(*blob);
  ASSERT_TRUE(runner.has_value()) << runner.status().message();
  const Sample s = GetParam();
  std::vector<uint8_t> input;
  for (float g : {s.x, s.y, s.z})
    input.push_back(static_cast<uint8_t>(static_cast<int8_t>(
        std::clamp<long>(std::lround(g / kOrientationInputScale), -128, 127))));
  ASSERT_TRUE((*runner)->set_inputs(input).is_ok());
  ASSERT_TRUE((*runner)->invoke().is_ok());
  const std::vector<uint8_t> out = (*runner)->outputs();
  ASSERT_EQ(out.size(), 6u);

  const auto expected = orientation_reference(s.x, s.y, s.z);
  std::array<float, 6> got;
  for (int i = 0; i < 6; ++i) got[i] = (static_cast<int8_t>(out[i]) + 128) / 256.0f;
  for (int i = 0; i < 6; ++i) {
    // Softmax output steps are 1/256; the 1/8 score grid adds up to ~2 %.
    EXPECT_NEAR(got[i], expected[i], 0.03) << kOrientationClasses[i];
  }
  EXPECT_EQ(std::max_element(got.begin(), got.end()) - got.begin(),
            std::max_element(expected.begin(), expected.end()) - expected.begin());
}

INSTANTIATE_TEST_SUITE_P(Faces, OrientationModel,
                         ::testing::Values(Sample{1, 0, 0}, Sample{-1, 0, 0}, Sample{0, 1, 0},
                                           Sample{0, -1, 0}, Sample{0, 0, 1}, Sample{0, 0, -1},
                                           Sample{0.3f, -0.2f, 0.9f}, Sample{-0.7f, 0.7f, 0.1f},
                                           Sample{0.05f, 0.02f, -0.03f}));

}  // namespace
}  // namespace tierml::examples
