#include "orientation_model.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "model/graph_builder.h"

namespace tierml::examples {
namespace {

constexpr float kProjectionScale = 1.0f / 64;  // FC1 output, 0..4 g
constexpr float kScoreScale = 1.0f / 8;        // FC2 output, -16..16
constexpr float kSelf = 4.0f, kOther = -0.5f;

}  // namespace

model::Graph orientation_model() {
  using namespace tierml::model;
  GraphBuilder b;
  const int32_t input = b.add_input("acceleration_g", kTmInt8, {1, 3},
                                    per_tensor(kOrientationInputScale, 0));
  // +-1 weights at scale 1/127: each row picks one signed axis.
  std::vector<int8_t> axes(6 * 3, 0);
  for (int face = 0; face < 6; ++face) axes[face * 3 + face / 2] = face % 2 ? -127 : 127;
  const int32_t w1 = b.add_constant("axes", kTmInt8, {6, 3}, to_bytes(axes),
                                    per_tensor(1.0f / 127, 0));
  const int32_t b1 = b.add_constant("axes_bias", kTmInt32, {6},
                                    to_bytes(std::vector<int32_t>(6, 0)),
                                    per_tensor(kOrientationInputScale / 127, 0));
  const int32_t projection = b.add_tensor("projection", kTmInt8, {1, 6},
                                          per_tensor(kProjectionScale, -128));
  b.add_op(fully_connected_attrs(kTmActRelu), {input, w1, b1}, {projection});

  // Scores: 4 on the diagonal, -0.5 elsewhere, at scale 4/127.
  const float w2_scale = kSelf / 127;
  std::vector<int8_t> mix(6 * 6);
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j)
      mix[i * 6 + j] = static_cast<int8_t>(std::lround((i == j ? kSelf : kOther) / w2_scale));
  const int32_t w2 = b.add_constant("mix", kTmInt8, {6, 6}, to_bytes(mix),
                                    per_tensor(w2_scale, 0));
  const int32_t b2 = b.add_constant("mix_bias", kTmInt32, {6},
                                    to_bytes(std::vector<int32_t>(6, 0)),
                                    per_tensor(kProjectionScale * w2_scale, 0));
  const int32_t scores = b.add_tensor("scores", kTmInt8, {1, 6}, per_tensor(kScoreScale, 0));
  b.add_op(fully_connected_attrs(), {projection, w2, b2}, {scores});

  const int32_t probabilities = b.add_tensor("probabilities", kTmInt8, {1, 6},
                                             per_tensor(1.0f / 256, -128));
  b.add_op(softmax_attrs(1.0f), {scores}, {probabilities});
  b.mark_output(probabilities);
  b.set_description("tierml demo: which face is up, from one accelerometer sample");
  return std::move(b).build();
}

std::array<float, 6> orientation_reference(float x_g, float y_g, float z_g) {
  const float axis[3] = {x_g, y_g, z_g};
  std::array<float, 6> projection, scores, out;
  for (int face = 0; face < 6; ++face)
    projection[face] = std::max(0.0f, face % 2 ? -axis[face / 2] : axis[face / 2]);
  for (int i = 0; i < 6; ++i) {
    scores[i] = 0;
    for (int j = 0; j < 6; ++j) scores[i] += (i == j ? kSelf : kOther) * projection[j];
  }
  const float top = *std::max_element(scores.begin(), scores.end());
  float sum = 0;
  for (int i = 0; i < 6; ++i) sum += out[i] = std::exp(scores[i] - top);
  for (float& p : out) p /= sum;
  return out;
}

}  // namespace tierml::examples
