#include "codegen/kernel_sources.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

namespace tierml::codegen {
namespace {

namespace fs = std::filesystem;

bool read_text(const fs::path& path, std::string* text) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  *text = std::string((std::istreambuf_iterator<char>(file)),
                      std::istreambuf_iterator<char>());
  return true;
}

// The quoted includes of a source file, in order.
std::vector<std::string> quoted_includes(const std::string& text) {
  std::vector<std::string> includes;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    size_t i = line.find_first_not_of(" \t");
    if (i == std::string::npos || line.compare(i, 1, "#") != 0) continue;
    i = line.find_first_not_of(" \t", i + 1);
    if (i == std::string::npos || line.compare(i, 7, "include") != 0) continue;
    const size_t open = line.find('"', i);
    const size_t close =
        open == std::string::npos ? open : line.find('"', open + 1);
    if (close != std::string::npos) {
      includes.push_back(line.substr(open + 1, close - open - 1));
    }
  }
  return includes;
}

}  // namespace

Expected<std::vector<SourceFile>> collect_kernel_sources(
    const std::string& runtime_dir, const std::set<std::string>& kernels) {
  const fs::path root(runtime_dir);
  std::map<std::string, std::string> files;  // relative path -> content
  std::vector<std::string> pending;
  for (const std::string& kernel : kernels)
    pending.push_back("kernels/" + kernel);
  // Every kernel call goes through the tensor helpers (tm_type_size...).
  pending.push_back("kernels/tensor.cc");
  while (!pending.empty()) {
    const std::string relative = pending.back();
    pending.pop_back();
    if (files.count(relative)) continue;
    std::string text;
    if (!read_text(root / relative, &text)) {
      return io_error(
          "cannot read the runtime source " + (root / relative).string() +
          " (set TIERML_RUNTIME_DIR to the tierml runtime/ folder)");
    }
    files[relative] = text;
    const fs::path dir = fs::path(relative).parent_path();
    for (const std::string& include : quoted_includes(text)) {
      // As the compiler searches: next to the file, then -Iruntime and
      // -Iruntime/include.
      std::string found;
      for (const fs::path& candidate :
           {dir / include, fs::path(include), fs::path("include") / include}) {
        if (fs::is_regular_file(root / candidate)) {
          found = candidate.lexically_normal().generic_string();
          break;
        }
      }
      if (found.empty()) {
        return io_error("runtime source " + relative + " includes \"" +
                        include + "\", which is not under " + runtime_dir);
      }
      pending.push_back(found);
      // The implementation beside a header (x86/conv_avx2.h ->
      // x86/conv_avx2.cc), and the kernel named like it.
      const std::string beside =
          fs::path(found).replace_extension(".cc").generic_string();
      if (fs::is_regular_file(root / beside)) pending.push_back(beside);
      const std::string implementation =
          "kernels/" + fs::path(include).stem().string() + ".cc";
      if (fs::is_regular_file(root / implementation)) {
        pending.push_back(implementation);
      }
    }
  }
  std::vector<SourceFile> result;
  for (auto& [path, content] : files) result.push_back({path, content});
  return result;
}

}  // namespace tierml::codegen
