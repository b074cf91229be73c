// Writes the models the serve end-to-end tests put in a model repository:
//   serve_test_models classifier OUT.tflite [VARIANT]
//       float x[1,4] -> FULLY_CONNECTED(4->3) -> SOFTMAX -> probs[1,3];
//       weights w[i][j] = (VARIANT + 1) * (i - j) / 4, bias b[i] = 0.1 * i,
//       so a test can compute the expected output itself.
//   serve_test_models orientation OUT.tflite
//       the int8 demo model (examples/orientation_model.h).
//   serve_test_models slow OUT.tflite
//       float x[1,8,8,4] -> PAD to 128x128 -> CONV 3x3 (4->64) -> three
//       CONV 3x3 (64->64) -> MEAN -> y[1,64]: ~1.8 G MACs, so requests
//       queue up.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "model/graph_builder.h"
#include "model/writer.h"
#include "orientation_model.h"

namespace {

using namespace tierml;
using namespace tierml::model;

Graph classifier(int variant) {
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmFloat32, {1, 4});
  std::vector<float> w(3 * 4), bias(3);
  for (int i = 0; i < 3; ++i) {
    bias[i] = 0.1f * static_cast<float>(i);
    for (int j = 0; j < 4; ++j)
      w[i * 4 + j] = static_cast<float>((variant + 1) * (i - j)) / 4.0f;
  }
  const int32_t wt = b.add_constant("w", kTmFloat32, {3, 4}, to_bytes(w));
  const int32_t bt = b.add_constant("b", kTmFloat32, {3}, to_bytes(bias));
  const int32_t logits = b.add_tensor("logits", kTmFloat32, {1, 3});
  b.add_op(fully_connected_attrs(), {x, wt, bt}, {logits});
  const int32_t probs = b.add_tensor("probs", kTmFloat32, {1, 3});
  b.add_op(softmax_attrs(1.0f), {logits}, {probs});
  b.mark_output(probs);
  return std::move(b).build();
}

std::vector<float> pseudo_random(size_t n, uint32_t seed) {
  std::vector<float> values(n);
  for (size_t i = 0; i < n; ++i) {
    seed = seed * 1664525u + 1013904223u;
    values[i] = static_cast<float>(seed >> 8) / 16777216.0f * 0.2f - 0.1f;
  }
  return values;
}

Graph slow() {
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmFloat32, {1, 8, 8, 4});
  const std::vector<int32_t> pads = {0, 0, 60, 60, 60, 60, 0, 0};
  const int32_t paddings =
      b.add_constant("paddings", kTmInt32, {4, 2}, to_bytes(pads));
  const int32_t padded = b.add_tensor("padded", kTmFloat32, {1, 128, 128, 4});
  b.add_op(attrs_of(kTmOpPad), {x, paddings}, {padded});
  constexpr int32_t kChannels = 64;
  const int32_t w1 = b.add_constant(
      "w1", kTmFloat32, {kChannels, 3, 3, 4},
      to_bytes(pseudo_random(kChannels * 9 * 4, 1)));
  const int32_t c1 =
      b.add_tensor("c1", kTmFloat32, {1, 128, 128, kChannels});
  b.add_op(conv2d_attrs(kTmPaddingSame, 1, 1, kTmActRelu), {padded, w1, -1},
           {c1});
  // Three 64-channel 3x3 layers: about 1.8 G MACs, some 200 ms even
  // through the AVX2 kernels, so the tests' concurrent requests really
  // overlap it.
  int32_t c2 = c1;
  for (int32_t layer = 2; layer <= 4; ++layer) {
    const std::string n = std::to_string(layer);
    const int32_t w = b.add_constant(
        "w" + n, kTmFloat32, {kChannels, 3, 3, kChannels},
        to_bytes(pseudo_random(kChannels * 9 * kChannels, layer)));
    const int32_t c =
        b.add_tensor("c" + n, kTmFloat32, {1, 128, 128, kChannels});
    b.add_op(conv2d_attrs(kTmPaddingSame, 1, 1,
                          layer == 4 ? kTmActNone : kTmActRelu),
             {c2, w, -1}, {c});
    c2 = c;
  }
  const int32_t axes = b.add_constant("axes", kTmInt32, {2},
                                      to_bytes(std::vector<int32_t>{1, 2}));
  const int32_t y = b.add_tensor("y", kTmFloat32, {1, kChannels});
  b.add_op(mean_attrs(false), {c2, axes}, {y});
  b.mark_output(y);
  return std::move(b).build();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: serve_test_models classifier|orientation|slow "
                 "OUT.tflite [VARIANT]\n");
    return 2;
  }
  const std::string kind = argv[1];
  Graph graph;
  if (kind == "classifier") {
    graph = classifier(argc > 3 ? std::atoi(argv[3]) : 0);
  } else if (kind == "orientation") {
    graph = tierml::examples::orientation_model();
  } else if (kind == "slow") {
    graph = slow();
  } else {
    std::fprintf(stderr, "serve_test_models: unknown model '%s'\n",
                 kind.c_str());
    return 2;
  }
  auto bytes = write_model(graph);
  if (!bytes) {
    std::fprintf(stderr, "serve_test_models: %s\n",
                 bytes.status().message().c_str());
    return 1;
  }
  std::ofstream out(argv[2], std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes->data()),
            static_cast<std::streamsize>(bytes->size()));
  return out ? 0 : 1;
}
