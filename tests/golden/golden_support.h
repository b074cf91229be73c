// Helpers shared by the golden suites (the interpreter's and the compiled
// code's): reading files, pairing in_*.bin with out_*.bin, comparing outputs
// with the suite's tolerance, and finding the shared data folder.
//
// Integer outputs match byte for byte. Float32 outputs match within a
// relative tolerance of 1e-5 with an absolute floor of 1e-6 (for values near
// zero, where a relative bound means nothing).
#ifndef TIERML_TESTS_GOLDEN_GOLDEN_SUPPORT_H_
#define TIERML_TESTS_GOLDEN_GOLDEN_SUPPORT_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tierml::golden {

namespace fs = std::filesystem;

constexpr double kRelativeTolerance = 1e-5;
constexpr double kAbsoluteFloor = 1e-6;

inline std::optional<std::vector<uint8_t>> read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(file)),
                              std::istreambuf_iterator<char>());
}

// Empty when equal, otherwise where and how they differ.
inline std::string compare(const std::vector<uint8_t>& got,
                           const std::vector<uint8_t>& want, bool is_float) {
  if (got.size() != want.size()) {
    return "size " + std::to_string(got.size()) + " bytes, expected " +
           std::to_string(want.size());
  }
  if (is_float) {
    const size_t n = got.size() / 4;
    for (size_t i = 0; i < n; ++i) {
      float a, b;
      std::memcpy(&a, got.data() + 4 * i, 4);
      std::memcpy(&b, want.data() + 4 * i, 4);
      const double limit =
          std::max(kAbsoluteFloor,
                   kRelativeTolerance * std::max(std::fabs(a), std::fabs(b)));
      if (!(std::fabs(static_cast<double>(a) - b) <= limit)) {
        char text[160];
        std::snprintf(text, sizeof(text),
                      "float element %zu (byte %zu): got %.9g, expected %.9g",
                      i, 4 * i, a, b);
        return text;
      }
    }
    return "";
  }
  for (size_t i = 0; i < got.size(); ++i) {
    if (got[i] != want[i]) {
      char text[120];
      std::snprintf(text, sizeof(text),
                    "first differing byte %zu: got 0x%02x, expected 0x%02x", i,
                    got[i], want[i]);
      return text;
    }
  }
  return "";
}

// Input files and the output each must give.
inline std::vector<std::pair<fs::path, fs::path>> golden_pairs(
    const fs::path& dir) {
  std::vector<std::pair<fs::path, fs::path>> pairs;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("in_", 0) != 0 || entry.path().extension() != ".bin") {
      continue;
    }
    const fs::path out = dir / ("out_" + name.substr(3));
    if (fs::exists(out)) pairs.emplace_back(entry.path(), out);
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

// The golden folder: TIERML_SHARED_DIR (compile definition; the environment
// variable of the same name overrides it) + "/golden".
inline fs::path golden_root() {
  const char* env = std::getenv("TIERML_SHARED_DIR");
  return fs::path(env != nullptr && *env ? env : TIERML_SHARED_DIR) / "golden";
}

// The model folders under root, sorted.
inline std::vector<fs::path> model_dirs(const fs::path& root) {
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.is_directory()) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

}  // namespace tierml::golden

#endif  // TIERML_TESTS_GOLDEN_GOLDEN_SUPPORT_H_
