// A fresh directory under the system temp dir, removed with its contents.
#ifndef TIERML_TESTS_UNIT_HYBRID_TEMP_DIR_H_
#define TIERML_TESTS_UNIT_HYBRID_TEMP_DIR_H_

#include <unistd.h>

#include <filesystem>
#include <string>

namespace tierml::hybrid {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "tierml-hybrid-XXXXXX")
            .string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace tierml::hybrid

#endif  // TIERML_TESTS_UNIT_HYBRID_TEMP_DIR_H_
