// Loads TFLM's seanet single-operator golden models (../shared/golden) for
// kernel tests: the operator's tensors as TmTensors (constant inputs keep
// their data) and every in_*.bin / out_*.bin pair TFLM produced.
#ifndef TIERML_TESTS_UNIT_KERNELS_SEANET_SINGLE_OP_H_
#define TIERML_TESTS_UNIT_KERNELS_SEANET_SINGLE_OP_H_

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "model/graph.h"
#include "model/reader.h"
#include "tierml/tensor.h"
#include "unit/model/golden_models.h"

namespace tierml::testing {

struct GoldenPair {
  std::string name;
  std::vector<uint8_t> input;
  std::vector<uint8_t> output;
};

struct SeanetModel {
  std::string name;
  model::Graph graph;
  std::vector<GoldenPair> pairs;

  const model::Operator& op() const { return graph.operators.at(0); }
  // The operator's i-th input or output as a kernel sees it; data set only
  // for constants. Quantization scales point into graph.
  TmTensor input(int i) const { return view(op().inputs.at(i)); }
  TmTensor output(int i) const { return view(op().outputs.at(i)); }

  TmTensor view(int32_t index) const {
    const model::Tensor& t = graph.tensors.at(index);
    TmTensor out = {};
    out.type = t.type;
    out.shape.rank = static_cast<int32_t>(t.shape.size());
    for (size_t d = 0; d < t.shape.size() && d < TM_MAX_DIMS; ++d) {
      out.shape.dims[d] = t.shape[d];
    }
    out.quant.count = static_cast<int32_t>(t.quantization.scales.size());
    out.quant.quantized_dimension = t.quantization.quantized_dimension;
    out.quant.scales = t.quantization.scales.data();
    out.quant.zero_point =
        t.quantization.zero_points.empty()
            ? 0
            : static_cast<int32_t>(t.quantization.zero_points[0]);
    out.data = t.is_constant() ? const_cast<uint8_t*>(t.data.data()) : nullptr;
    out.bytes = t.data.size();
    return out;
  }
};

// Every golden folder whose name starts with prefix, in name order. A model
// that fails to load is returned with an empty graph and its error in name.
inline std::vector<SeanetModel> load_seanet(const std::string& prefix,
                                            std::string* error) {
  std::vector<SeanetModel> models;
  const std::filesystem::path root = golden_dir();
  std::error_code ec;
  if (root.empty() || !std::filesystem::is_directory(root, ec)) return models;
  std::vector<std::filesystem::path> dirs;
  for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  for (const auto& dir : dirs) {
    auto graph = model::read_model_file((dir / "model.tflite").string());
    if (!graph) {
      *error +=
          dir.filename().string() + ": " + graph.status().message() + "\n";
      continue;
    }
    SeanetModel m{dir.filename().string(), std::move(graph.value()), {}};
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      const std::string file = entry.path().filename().string();
      if (file.rfind("in_", 0) != 0 || entry.path().extension() != ".bin") {
        continue;
      }
      const std::string suffix = file.substr(3);
      const auto out = dir / ("out_" + suffix);
      if (!std::filesystem::exists(out)) continue;
      m.pairs.push_back({file, read_bytes(entry.path()), read_bytes(out)});
    }
    std::sort(m.pairs.begin(), m.pairs.end(),
              [](const GoldenPair& a, const GoldenPair& b) {
                return a.name < b.name;
              });
    models.push_back(std::move(m));
  }
  return models;
}

}  // namespace tierml::testing

#endif  // TIERML_TESTS_UNIT_KERNELS_SEANET_SINGLE_OP_H_
