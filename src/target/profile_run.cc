#include "target/profile_run.h"

#include "io/file.h"

#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#ifndef TIERML_SOURCE_DIR
#define TIERML_SOURCE_DIR ""
#endif
#ifndef TIERML_BUILD_DIR
#define TIERML_BUILD_DIR ""
#endif

namespace tierml::target {
namespace {

namespace fs = std::filesystem;

constexpr const char* kQemu = "qemu-system-arm";
// Firmware exit codes (targets/common/profile_support.h, startup.c).
constexpr int kExitInitFailed = 11;
constexpr int kExitInvokeFailed = 12;
constexpr int kExitStackOverflow = 15;
constexpr int kExitFault = 120;

std::string default_cache_dir() {
  const char* env = std::getenv("TIERML_TARGET_CACHE");
  if (env != nullptr && *env != '\0') return env;
  if (*TIERML_BUILD_DIR != '\0') {
    return (fs::path(TIERML_BUILD_DIR) / "target-cache").string();
  }
  return (fs::temp_directory_path() / "tierml-target-cache").string();
}

std::string errors_text(const FirmwareReport& report) {
  std::string text;
  for (const std::string& e : report.errors)
    text += (text.empty() ? "" : "; ") + e;
  return text.empty() ? "no message" : text;
}

}  // namespace

Expected<Board> check_run_options(const BoardRunOptions& options) {
  if (options.opt != "O2" && options.opt != "Os") {
    return invalid_argument("unknown optimisation '" + options.opt +
                            "' (O2 or Os)");
  }
  return find_board(options.target);
}

Workspace::Workspace(const BoardRunOptions& options, BuildSettings settings)
    : options_(options), settings_(settings), builder_(std::move(settings)) {}

Expected<std::unique_ptr<Workspace>> Workspace::create(
    const BoardRunOptions& options, const Board& board) {
  if (find_program(kQemu).empty()) {
    return io_error(std::string(kQemu) +
                    " not found (scripts/install-deps.sh installs it)");
  }
  BuildSettings settings;
  settings.board = board;
  settings.opt = options.opt;
  settings.source_dir =
      options.source_dir.empty() ? TIERML_SOURCE_DIR : options.source_dir;
  settings.cache_dir =
      options.cache_dir.empty() ? default_cache_dir() : options.cache_dir;
  settings.progress = options.progress;
  if (settings.source_dir.empty()) {
    return invalid_argument("no tierml source folder to build firmware from");
  }
  std::unique_ptr<Workspace> workspace(new Workspace(options, settings));
  Status status = workspace->builder_.prepare();
  if (!status.is_ok()) return status;

  std::error_code ec;
  fs::create_directories(settings.cache_dir, ec);
  std::string pattern = (fs::path(settings.cache_dir) / "run-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return io_error("cannot create a build folder in " + settings.cache_dir);
  }
  workspace->dir_ = pattern;
  return workspace;
}

Workspace::~Workspace() {
  std::error_code ec;
  if (!options_.keep_build && !dir_.empty()) fs::remove_all(dir_, ec);
}

Status Workspace::write_input(const std::vector<uint8_t>& bytes) const {
  const fs::path path = fs::path(dir_) / "input.bin";
  std::ofstream in(path, std::ios::binary);
  in.write(reinterpret_cast<const char*>(bytes.data()),
           static_cast<std::streamsize>(bytes.size()));
  if (!in) return io_error("cannot write " + path.string());
  return Status::ok();
}

Expected<Run> Workspace::run(size_t layers) const {
  const Board& board = settings_.board;
  std::vector<std::string> argv = {
      kQemu,
      "-M",
      board.machine,
      "-nographic",
      "-monitor",
      "none",
      "-serial",
      "none",
      "-icount",
      "shift=" + std::to_string(kIcountShift) + ",sleep=off",
      "-semihosting-config",
      "enable=on,target=native",
      "-kernel",
      "firmware.elf"};
  ProcessOptions process;
  process.working_dir = dir_;
  process.timeout_seconds = options_.timeout_seconds;
  const auto& progress = options_.progress;
  if (progress && layers == 0) {
    progress("QEMU " + board.machine + ": running the firmware");
  } else if (progress) {
    process.on_line = [&](const std::string& line) {
      if (line.rfind("inference", 0) == 0) {
        progress("QEMU " + board.machine + ": inference done, " +
                 "per-layer run 0/" + std::to_string(layers));
      } else if (line.rfind("layer", 0) == 0) {
        const size_t space = line.find(' ', 6);
        const std::string index = line.substr(6, space - 6);
        progress("QEMU " + board.machine + ": per-layer run " +
                 std::to_string(std::atoi(index.c_str()) + 1) + "/" +
                 std::to_string(layers));
      }
    };
    progress("QEMU " + board.machine + ": init and inference");
  }
  auto result = run_process(argv, process);
  if (!result) return result.status();
  if (result->timed_out) {
    return Status(
        ErrorCode::kInternal,
        "QEMU did not finish within " +
            std::to_string(static_cast<int>(options_.timeout_seconds)) + " s");
  }
  auto report = parse_firmware_output(result->output);
  if (!report) return report.status();
  return Run{std::move(*result), std::move(*report)};
}

Status Workspace::check_exit(const Run& run, const std::string& what) const {
  const Board& board = settings_.board;
  const int code = run.process.exit_code;
  if (code == kExitInitFailed || code == kExitInvokeFailed) {
    return unsupported("on " + board.target + ": " + errors_text(run.report));
  }
  if (code == kExitStackOverflow) {
    return unsupported("on " + board.target + ": " + what + " overflowed the " +
                       std::to_string(settings_.stack_bytes) + "-byte stack");
  }
  if (code == kExitFault) {
    return Status(
        ErrorCode::kInternal,
        "the firmware faulted on " + board.machine + ": " + run.process.output);
  }
  if (code != 0 || !run.report.done) {
    return Status(ErrorCode::kInternal,
                  "the firmware failed on " + board.machine + " (exit " +
                      std::to_string(code) + "): " + errors_text(run.report));
  }
  return Status::ok();
}

Expected<FirmwareFigures> Workspace::figures(const Run& run) const {
  ProcessOptions size_options;
  size_options.working_dir = dir_;
  auto sized =
      run_process({"arm-none-eabi-size", "-A", "firmware.elf"}, size_options);
  if (!sized) return sized.status();
  auto sections = parse_size_sysv(sized->output);
  if (!sections) return sections.status();
  FirmwareFigures figures;
  figures.flash = flash_bytes(*sections);
  figures.ram = ram_bytes(*sections);
  figures.ram.stack = run.report.stack_bytes.value_or(0);
  std::ifstream map_file(fs::path(dir_) / "firmware.map");
  const std::string map((std::istreambuf_iterator<char>(map_file)),
                        std::istreambuf_iterator<char>());
  figures.map = parse_map(map);
  for (const MapEntry& entry : figures.map) {
    if (entry.output_section == ".text" || entry.output_section == ".rodata" ||
        entry.output_section == ".tm_model" ||
        entry.output_section == ".data") {
      figures.code_by_origin[origin_group(entry.file)] += entry.size;
    }
  }
  return figures;
}

Expected<std::vector<uint8_t>> Workspace::read_output() const {
  return io::read_file((fs::path(dir_) / "output.bin").string());
}

size_t mismatched_bytes(const std::vector<uint8_t>& device,
                        const std::vector<uint8_t>& host,
                        const std::vector<OutputTensor>& tensors) {
  const size_t common = std::min(device.size(), host.size());
  size_t count = std::max(device.size(), host.size()) - common;
  size_t at = 0;
  for (const OutputTensor& tensor : tensors) {
    const size_t end = std::min(common, at + tensor.bytes);
    for (; tensor.is_float32 && at + 4 <= end; at += 4) {
      float a, b;
      std::memcpy(&a, &device[at], 4);
      std::memcpy(&b, &host[at], 4);
      const double limit =
          std::max(1e-6, 1e-5 * std::max(std::fabs(a), std::fabs(b)));
      if (!(std::fabs(static_cast<double>(a) - b) <= limit)) count += 4;
    }
    for (; at < end; ++at) count += device[at] != host[at];
  }
  for (size_t i = at; i < common; ++i) count += device[i] != host[i];
  return count;
}

std::string origin_group(const std::string& map_file) {
  const std::string member = map_origin(map_file);
  if (member == "generated_model.o") return "generated model";
  if (member == "model_blob.o") return "model";
  if (map_file.find("libtierml_runtime.a(") != std::string::npos) {
    if (member.rfind("runtime_kernels_", 0) == 0) return "kernels";
    if (member.rfind("runtime_dsp_", 0) == 0) return "dsp";
    if (member.rfind("runtime_model_", 0) == 0) return "model reader";
    return "interpreter";
  }
  if (map_file.find("libc") != std::string::npos ||
      map_file.find("libm.a") != std::string::npos ||
      map_file.find("libgcc") != std::string::npos) {
    return "C library";
  }
  return "firmware";
}

}  // namespace tierml::target
