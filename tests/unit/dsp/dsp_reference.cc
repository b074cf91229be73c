#include "unit/dsp/dsp_reference.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>

namespace tierml::testing {
namespace {

namespace fs = std::filesystem;

// Debian's interpreter: the first python3 on PATH may lack NumPy/SciPy.
constexpr const char* kPython = "/usr/bin/python3";

fs::path script_path() {
  return fs::path(TIERML_TESTS_DIR) / "dsp_reference" / "make_reference.py";
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

template <typename T>
std::vector<T> read_array(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "missing reference file " << path;
    return {};
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  std::vector<T> values(bytes.size() / sizeof(T));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(T));
  return values;
}

}  // namespace

const DspReference& DspReference::get() {
  static const DspReference instance;
  return instance;
}

DspReference::DspReference() {
  const fs::path script = script_path();
  const std::string source = read_all(script);
  if (source.empty()) {
    error_ = "cannot read " + script.string();
    return;
  }
  if (access(kPython, X_OK) != 0) {
    error_ = std::string(kPython) +
             " not found (install python3-numpy "
             "python3-scipy: scripts/install-deps.sh)";
    return;
  }
  const fs::path final_dir = fs::temp_directory_path() /
                             ("tierml_dsp_reference_" +
                              std::to_string(std::hash<std::string>{}(source)));
  dir_ = final_dir.string();
  if (fs::exists(final_dir / "done")) return;

  const fs::path work =
      fs::temp_directory_path() /
      ("tierml_dsp_reference_tmp_" + std::to_string(getpid()));
  fs::remove_all(work);
  const std::string command = std::string(kPython) + " '" + script.string() +
                              "' '" + work.string() + "'";
  const int status = std::system(command.c_str());
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code == 77) {
    error_ =
        "NumPy/SciPy missing for /usr/bin/python3 (install "
        "python3-numpy python3-scipy: scripts/install-deps.sh)";
    fs::remove_all(work);
    return;
  }
  if (code != 0) {
    error_ = "make_reference.py failed with status " + std::to_string(code);
    fs::remove_all(work);
    return;
  }
  std::ofstream(work / "done") << "ok\n";
  std::error_code ec;
  fs::rename(work, final_dir, ec);
  // Lost the race to another process: its copy is identical.
  if (ec) fs::remove_all(work);
  if (!fs::exists(final_dir / "done")) error_ = "cannot publish " + dir_;
}

std::vector<double> DspReference::f64(const std::string& name) const {
  return read_array<double>(fs::path(dir_) / (name + ".f64"));
}

std::vector<int16_t> DspReference::i16(const std::string& name) const {
  return read_array<int16_t>(fs::path(dir_) / (name + ".i16"));
}

}  // namespace tierml::testing
