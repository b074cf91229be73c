// The published models in ../shared/golden, for tests that check the model
// layer against them. Tests skip with a message when the folder is absent.
#ifndef TIERML_TESTS_UNIT_MODEL_GOLDEN_MODELS_H_
#define TIERML_TESTS_UNIT_MODEL_GOLDEN_MODELS_H_

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace tierml::testing {

inline std::filesystem::path golden_dir() {
#ifdef TIERML_SHARED_DIR
  return std::filesystem::path(TIERML_SHARED_DIR) / "golden";
#else
  return {};
#endif
}

// Folders holding a model.tflite, sorted by name; empty without ../shared.
inline std::vector<std::filesystem::path> golden_model_dirs() {
  std::vector<std::filesystem::path> dirs;
  std::error_code error;
  const std::filesystem::path root = golden_dir();
  if (root.empty() || !std::filesystem::is_directory(root, error)) return dirs;
  for (const auto& entry : std::filesystem::directory_iterator(root, error)) {
    if (std::filesystem::exists(entry.path() / "model.tflite", error)) {
      dirs.push_back(entry.path());
    }
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

inline std::vector<uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(file), {});
}

}  // namespace tierml::testing

#define TIERML_SKIP_WITHOUT_GOLDEN(dirs)                                \
  if ((dirs).empty()) {                                                 \
    GTEST_SKIP() << "no models under " << tierml::testing::golden_dir() \
                 << " (../shared absent); golden checks skipped";       \
  }

#endif  // TIERML_TESTS_UNIT_MODEL_GOLDEN_MODELS_H_
