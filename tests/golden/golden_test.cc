// Golden suite: every shared model whose meta.json says status "ok" must give
// TensorFlow Lite Micro's outputs on every shared input.
//
// Integer outputs match byte for byte. Float32 outputs match within a
// relative tolerance of 1e-5 with an absolute floor of 1e-6 (for values near
// zero, where a relative bound means nothing). Stateful models are compared
// on the first invoke after a reset, as the goldens were made. Where
// intermediates/ exists, in_5.bin is also run with every tensor preserved
// and each operator output is compared in op order; the first mismatch is
// reported with op index and name, tensor and first differing byte.
//
// The data folder is TIERML_SHARED_DIR (compile definition; the environment
// variable of the same name overrides it).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "golden/golden_support.h"
#include "runtime_host/host_interpreter.h"

namespace tierml {
namespace {

namespace fs = std::filesystem;
using golden::compare;
using golden::golden_pairs;
using golden::read_file;

struct ModelResult {
  bool ok = true;
  int inputs_checked = 0;
  std::string problem;  // first problem found
  std::string intermediates;
};

// Runs in_5.bin with every tensor kept and compares each op's output.
std::string check_intermediates(const fs::path& dir,
                                const std::vector<uint8_t>& blob) {
  const fs::path index_path = dir / "intermediates" / "index.json";
  std::ifstream index_file(index_path);
  if (!index_file) return "";
  const nlohmann::json index =
      nlohmann::json::parse(index_file, nullptr, /*allow_exceptions=*/false);
  if (index.is_discarded()) return "intermediates/index.json is not JSON";
  InterpreterOptions options;
  options.preserve_all_tensors = true;
  auto host = HostInterpreter::load(blob, options);
  if (!host) return "preserve-all load failed: " + host.status().message();
  const auto input = read_file(dir / index.value("input_file", "in_5.bin"));
  if (!input) return "cannot read the intermediates' input";
  Status status = (*host)->set_inputs(*input);
  if (status.is_ok()) status = (*host)->invoke();
  if (!status.is_ok()) return "preserve-all run failed: " + status.message();
  Interpreter& it = (*host)->interpreter();
  for (const auto& entry : index["tensors"]) {
    const int tensor_index = entry.value("tensor_index", -1);
    const TmTensor* tensor = it.tensor(tensor_index);
    const auto want =
        read_file(dir / "intermediates" / entry.value("file", std::string()));
    if (tensor == nullptr || !want) return "intermediate entry unreadable";
    const uint8_t* data = static_cast<const uint8_t*>(tensor->data);
    const std::vector<uint8_t> got(data, data + tensor->bytes);
    const std::string diff =
        compare(got, *want, entry.value("dtype", "") == "float32");
    if (!diff.empty()) {
      return "first mismatching op " +
             std::to_string(entry.value("op_index", -1)) + " (" +
             entry.value("op_name", std::string("?")) + ") tensor " +
             std::to_string(tensor_index) + " '" +
             entry.value("tensor_name", std::string()).substr(0, 60) +
             "': " + diff;
    }
  }
  return "";
}

ModelResult check_model(const fs::path& dir, const nlohmann::json& meta) {
  ModelResult result;
  auto fail = [&](std::string problem) {
    result.ok = false;
    if (result.problem.empty()) result.problem = std::move(problem);
  };
  const auto blob = read_file(dir / "model.tflite");
  if (!blob) {
    fail("cannot read model.tflite");
    return result;
  }
  auto host = HostInterpreter::load(*blob);
  if (!host) {
    fail(host.status().message());
    return result;
  }
  bool outputs_float = false;
  for (const auto& out : meta["outputs"]) {
    outputs_float = outputs_float || out.value("type", "") == "float32";
  }
  for (const auto& [in_path, out_path] : golden_pairs(dir)) {
    const auto input = read_file(in_path);
    const auto want = read_file(out_path);
    const std::string name = in_path.filename().string();
    if (!input || !want) {
      fail(name + ": unreadable");
      continue;
    }
    Status status = (*host)->reset();
    if (status.is_ok()) status = (*host)->set_inputs(*input);
    if (status.is_ok()) status = (*host)->invoke();
    if (!status.is_ok()) {
      fail(name + ": " + status.message());
      continue;
    }
    ++result.inputs_checked;
    const std::string diff = compare((*host)->outputs(), *want, outputs_float);
    if (!diff.empty()) fail(name + ": " + diff);
  }
  if (result.inputs_checked == 0 && result.ok) fail("no input files found");
  if (fs::exists(dir / "intermediates")) {
    result.intermediates = check_intermediates(dir, *blob);
    if (!result.intermediates.empty()) fail(result.intermediates);
  }
  return result;
}

TEST(Golden, EveryOkModelMatchesTflm) {
  // The environment may point elsewhere (CI caches, checking the checker).
  const fs::path root = golden::golden_root();
  if (!fs::is_directory(root)) {
    GTEST_SKIP() << "golden data not found at " << root
                 << " (set TIERML_SHARED_DIR); skipping the golden suite";
  }
  const std::vector<fs::path> dirs = golden::model_dirs(root);
  int passed = 0, failed = 0, skipped = 0;
  for (const fs::path& dir : dirs) {
    std::ifstream meta_file(dir / "meta.json");
    const nlohmann::json meta =
        nlohmann::json::parse(meta_file, nullptr, /*allow_exceptions=*/false);
    const std::string model = dir.filename().string();
    if (meta.is_discarded() || meta.value("status", "") != "ok") {
      std::printf("%-36s skipped (status not ok)\n", model.c_str());
      ++skipped;
      continue;
    }
    const ModelResult r = check_model(dir, meta);
    if (r.ok) {
      ++passed;
      std::printf("%-36s ok (%d inputs%s)\n", model.c_str(), r.inputs_checked,
                  fs::exists(dir / "intermediates") ? ", intermediates" : "");
    } else {
      ++failed;
      std::printf("%-36s FAILED: %s\n", model.c_str(), r.problem.c_str());
      if (!r.intermediates.empty() && r.intermediates != r.problem) {
        std::printf("%-36s   intermediates: %s\n", "", r.intermediates.c_str());
      }
    }
  }
  if (skipped > 0) std::printf("(%d models skipped: status not ok)\n", skipped);
  std::printf("golden: %d passed, %d failed\n", passed, failed);
  EXPECT_EQ(failed, 0);
}

}  // namespace
}  // namespace tierml
