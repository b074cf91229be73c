// A float classifier for the serve unit tests, with its output computed
// independently of the interpreter.
#ifndef TIERML_TESTS_UNIT_SERVE_SERVE_TEST_MODELS_H_
#define TIERML_TESTS_UNIT_SERVE_SERVE_TEST_MODELS_H_

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "model/graph_builder.h"
#include "model/writer.h"

namespace tierml::serve::testing {

// x[1,4] -> FULLY_CONNECTED (w[i][j] = (i - j) / 4, b[i] = i / 10) -> SOFTMAX.
inline std::vector<uint8_t> classifier_bytes() {
  using namespace tierml::model;
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmFloat32, {1, 4});
  std::vector<float> w(12), bias(3);
  for (int i = 0; i < 3; ++i) {
    bias[i] = 0.1f * static_cast<float>(i);
    for (int j = 0; j < 4; ++j) w[i * 4 + j] = static_cast<float>(i - j) / 4;
  }
  const int32_t wt = b.add_constant("w", kTmFloat32, {3, 4}, to_bytes(w));
  const int32_t bt = b.add_constant("b", kTmFloat32, {3}, to_bytes(bias));
  const int32_t logits = b.add_tensor("logits", kTmFloat32, {1, 3});
  b.add_op(fully_connected_attrs(), {x, wt, bt}, {logits});
  const int32_t probs = b.add_tensor("probs", kTmFloat32, {1, 3});
  b.add_op(softmax_attrs(1.0f), {logits}, {probs});
  b.mark_output(probs);
  auto bytes = write_model(std::move(b).build());
  return bytes ? *bytes : std::vector<uint8_t>{};
}

inline std::array<double, 3> classifier_reference(const float x[4]) {
  std::array<double, 3> logits, out;
  for (int i = 0; i < 3; ++i) {
    logits[i] = 0.1 * i;
    for (int j = 0; j < 4; ++j) logits[i] += (i - j) / 4.0 * x[j];
  }
  double top = std::max({logits[0], logits[1], logits[2]}), sum = 0;
  for (int i = 0; i < 3; ++i) sum += out[i] = std::exp(logits[i] - top);
  for (double& p : out) p /= sum;
  return out;
}

inline void write_file(const std::filesystem::path& path,
                       const std::vector<uint8_t>& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

// A fresh directory under the system temp folder, removed on destruction.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("tierml_serve_" + std::to_string(::getpid()) + "_" +
             std::to_string(counter()++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::filesystem::path path_;
};

}  // namespace tierml::serve::testing

#endif  // TIERML_TESTS_UNIT_SERVE_SERVE_TEST_MODELS_H_
