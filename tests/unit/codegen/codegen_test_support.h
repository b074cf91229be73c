// Helpers for the code generator's tests: compile a graph with the real
// memory plan, build the generated folder with its own Makefile, run the
// harness, and run the same graph through the device interpreter.
#ifndef TIERML_TESTS_UNIT_CODEGEN_CODEGEN_TEST_SUPPORT_H_
#define TIERML_TESTS_UNIT_CODEGEN_CODEGEN_TEST_SUPPORT_H_

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "codegen/compiler.h"
#include "model/graph.h"
#include "model/writer.h"
#include "plan/plan.h"
#include "runtime_host/host_interpreter.h"

namespace tierml::codegen::testing {

namespace fs = std::filesystem;

// A fresh folder under the system's temporary folder, removed on scope exit.
class TempDir {
 public:
  explicit TempDir(const std::string& tag)
      : path_(fs::temp_directory_path() /
              ("tierml_codegen_" + tag + "_" + std::to_string(getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline Expected<CompiledModel> compile_graph(const model::Graph& graph,
                                             const std::string& name) {
  auto plan = plan::plan_memory(graph);
  if (!plan) return plan.status();
  CompileOptions options;
  options.name = name;
  return compile_model(graph, *plan, options);
}

// True when `make`, a C and a C++ compiler are on PATH.
inline bool have_host_toolchain() {
  return std::system("make --version > /dev/null 2>&1") == 0 &&
         std::system("cc --version > /dev/null 2>&1") == 0 &&
         std::system("c++ --version > /dev/null 2>&1") == 0;
}

inline std::optional<std::vector<uint8_t>> read_bytes(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(file)),
                              std::istreambuf_iterator<char>());
}

// Builds dir with its generated Makefile (unoptimized, to keep tests fast);
// "" on success, else the build output.
inline std::string build_generated(const fs::path& dir) {
  const fs::path log = dir / "build.log";
  const std::string command = "make -s -C '" + dir.string() +
                              "' OPT=-O0 CXX=c++ > '" + log.string() + "' 2>&1";
  if (std::system(command.c_str()) == 0) return "";
  auto text = read_bytes(log);
  return text ? std::string(text->begin(), text->end()) : "make failed";
}

// Runs NAME_host on input; nullopt if it fails.
inline std::optional<std::vector<uint8_t>> run_harness(
    const fs::path& dir, const std::string& name,
    const std::vector<uint8_t>& input) {
  const fs::path in = dir / "in.bin", out = dir / "out.bin";
  {
    std::ofstream file(in, std::ios::binary);
    file.write(reinterpret_cast<const char*>(input.data()),
               static_cast<std::streamsize>(input.size()));
  }
  fs::remove(out);
  const std::string command = "'" + (dir / (name + "_host")).string() + "' '" +
                              in.string() + "' '" + out.string() + "'";
  if (std::system(command.c_str()) != 0) return std::nullopt;
  return read_bytes(out);
}

// The interpreter's outputs for input, all outputs back to back.
inline Expected<std::vector<uint8_t>> run_interpreter(
    const model::Graph& graph, const std::vector<uint8_t>& input) {
  auto blob = model::write_model(graph);
  if (!blob) return blob.status();
  auto host = HostInterpreter::load(*blob);
  if (!host) return host.status();
  Status status = (*host)->set_inputs(input);
  if (status.is_ok()) status = (*host)->invoke();
  if (!status.is_ok()) return status;
  return (*host)->outputs();
}

}  // namespace tierml::codegen::testing

#endif  // TIERML_TESTS_UNIT_CODEGEN_CODEGEN_TEST_SUPPORT_H_
