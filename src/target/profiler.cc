#include "target/profiler.h"

#include <stdlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "model/macs.h"
#include "model/reader.h"
#include "runtime_host/host_interpreter.h"
#include "target/firmware_builder.h"
#include "target/firmware_output.h"
#include "target/process.h"

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
constexpr int kExitArenaMismatch = 10;
constexpr int kExitInitFailed = 11;
constexpr int kExitInvokeFailed = 12;
constexpr int kExitStackOverflow = 15;
constexpr int kExitFault = 120;
constexpr int kMaxLinks = 8;

Expected<std::vector<uint8_t>> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error("cannot open " + path.string());
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
}

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

// Removes the per-model folder unless asked to keep it.
struct FolderGuard {
  fs::path path;
  bool keep = false;
  ~FolderGuard() {
    std::error_code ec;
    if (!keep && !path.empty()) fs::remove_all(path, ec);
  }
};

struct Run {
  ProcessResult process;
  FirmwareReport report;
};

Expected<Run> run_firmware(const Board& board, const fs::path& dir,
                           const ProfileOptions& options, size_t layers) {
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
  process.working_dir = dir.string();
  process.timeout_seconds = options.timeout_seconds;
  if (options.progress) {
    process.on_line = [&](const std::string& line) {
      if (line.rfind("inference", 0) == 0) {
        options.progress("QEMU " + board.machine + ": inference done, " +
                         "per-layer run 0/" + std::to_string(layers));
      } else if (line.rfind("layer", 0) == 0) {
        const size_t space = line.find(' ', 6);
        const std::string index = line.substr(6, space - 6);
        options.progress("QEMU " + board.machine + ": per-layer run " +
                         std::to_string(std::atoi(index.c_str()) + 1) + "/" +
                         std::to_string(layers));
      }
    };
    options.progress("QEMU " + board.machine + ": init and inference");
  }
  auto result = run_process(argv, process);
  if (!result) return result.status();
  if (result->timed_out) {
    return Status(
        ErrorCode::kInternal,
        "QEMU did not finish within " +
            std::to_string(static_cast<int>(options.timeout_seconds)) + " s");
  }
  auto report = parse_firmware_output(result->output);
  if (!report) return report.status();
  return Run{std::move(*result), std::move(*report)};
}

// Links the interpreter's firmware and runs it, sizing the arena by the
// device's own report: start from the host's figure (a 64-bit host needs
// more than a 32-bit device for the same model, but not always), grow while
// init says it is too small, then link exactly.
Expected<Run> run_interpreter(FirmwareBuilder& builder, const Board& board,
                              const fs::path& dir,
                              const ProfileOptions& options,
                              const std::vector<uint8_t>& blob,
                              const model::Graph& graph, uint64_t arena,
                              int& links) {
  if (options.progress) options.progress("building the model's firmware");
  Status status = builder.write_model_sources(dir.string(), blob, graph);
  if (!status.is_ok()) return status;
  for (;;) {
    if (++links > kMaxLinks) {
      return Status(ErrorCode::kInternal,
                    "the arena size did not settle after " +
                        std::to_string(kMaxLinks) + " links");
    }
    status = builder.link(dir.string(), arena);
    if (!status.is_ok()) return status;
    auto ran = run_firmware(board, dir, options, graph.operators.size());
    if (!ran) return ran.status();
    if (ran->process.exit_code != kExitArenaMismatch) return ran;
    const FirmwareReport& r = ran->report;
    if (r.arena_needed.empty()) return ran;
    const uint64_t needed = r.arena_needed.back();
    const bool ok = r.init_status.back() == 0;
    arena = ok ? needed : std::max<uint64_t>(needed, arena + arena / 2);
  }
}

// Generates the model's C, links it into the compiled engine's firmware and
// runs it; order gets the operator index of each layer as the code runs
// them (the memory plan may reorder them).
Expected<Run> run_compiled(FirmwareBuilder& builder, const Board& board,
                           const fs::path& dir, const ProfileOptions& options,
                           const model::Graph& graph,
                           std::vector<int32_t>& order, int& links) {
  if (options.progress) {
    options.progress("generating and building the model's C");
  }
  auto sources = builder.write_compiled_sources(dir.string(), graph);
  if (!sources) return sources.status();
  order = sources->order;
  ++links;
  Status status = builder.link_compiled(dir.string());
  if (!status.is_ok()) return status;
  return run_firmware(board, dir, options, graph.operators.size());
}

// Code (.text) of the runtime the engine brings: kernels plus the
// interpreter and model reader, or plus the generated code.
uint64_t runtime_code(const std::vector<MapEntry>& entries) {
  uint64_t total = 0;
  for (const MapEntry& entry : entries) {
    if (entry.output_section != ".text") continue;
    const std::string group = origin_group(entry.file);
    if (group == "kernels" || group == "interpreter" ||
        group == "model reader" || group == "generated model") {
      total += entry.size;
    }
  }
  return total;
}

}  // namespace

std::vector<uint8_t> default_input(const std::vector<TmType>& types,
                                   const std::vector<size_t>& bytes) {
  std::vector<uint8_t> out;
  uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(state >> 33);
  };
  for (size_t i = 0; i < types.size() && i < bytes.size(); ++i) {
    if (types[i] == kTmFloat32) {
      for (size_t k = 0; k + 4 <= bytes[i]; k += 4) {
        const float value = static_cast<float>(next() % 65536) / 32768.0f - 1;
        uint8_t raw[4];
        std::memcpy(raw, &value, 4);
        out.insert(out.end(), raw, raw + 4);
      }
    } else {
      for (size_t k = 0; k < bytes[i]; ++k) {
        out.push_back(static_cast<uint8_t>(next()));
      }
    }
  }
  return out;
}

std::string origin_group(const std::string& map_file) {
  const std::string member = map_origin(map_file);
  if (member == "generated_model.o") return "generated model";
  if (member == "model_blob.o") return "model";
  if (map_file.find("libtierml_runtime.a(") != std::string::npos) {
    if (member.rfind("runtime_kernels_", 0) == 0) return "kernels";
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

Expected<ProfileResult> profile_model(const ProfileOptions& options) {
  if (options.engine != "interpreter" && options.engine != "compiled") {
    return invalid_argument("unknown engine '" + options.engine +
                            "' (interpreter or compiled)");
  }
  if (options.opt != "O2" && options.opt != "Os") {
    return invalid_argument("unknown optimisation '" + options.opt +
                            "' (O2 or Os)");
  }
  auto board = find_board(options.target);
  if (!board) return board.status();

  auto blob = read_file(options.model_path);
  if (!blob) return blob.status();
  auto graph = model::read_model(*blob);
  if (!graph) {
    return Status(graph.status().code(),
                  options.model_path + ": " + graph.status().message());
  }
  auto host = HostInterpreter::load(*blob);
  if (!host) return host.status();
  std::vector<TmType> types;
  std::vector<size_t> sizes;
  for (int i = 0; i < (*host)->num_inputs(); ++i) {
    types.push_back((*host)->input(i).type);
    sizes.push_back((*host)->input(i).bytes);
  }
  const std::vector<uint8_t> input =
      options.input ? *options.input : default_input(types, sizes);
  Status status = (*host)->set_inputs(input);
  if (!status.is_ok()) return status;
  status = (*host)->invoke();
  if (!status.is_ok()) return unsupported(status.message());
  ProfileResult result;
  result.host_output = (*host)->outputs();

  if (find_program(kQemu).empty()) {
    return io_error(std::string(kQemu) +
                    " not found (scripts/install-deps.sh installs it)");
  }
  BuildSettings settings;
  settings.board = *board;
  settings.opt = options.opt;
  settings.source_dir =
      options.source_dir.empty() ? TIERML_SOURCE_DIR : options.source_dir;
  settings.cache_dir =
      options.cache_dir.empty() ? default_cache_dir() : options.cache_dir;
  settings.progress = options.progress;
  if (settings.source_dir.empty()) {
    return invalid_argument("no tierml source folder to build firmware from");
  }
  FirmwareBuilder builder(settings);
  status = builder.prepare();
  if (!status.is_ok()) return status;

  std::error_code ec;
  fs::create_directories(settings.cache_dir, ec);
  std::string pattern = (fs::path(settings.cache_dir) / "run-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return io_error("cannot create a build folder in " + settings.cache_dir);
  }
  FolderGuard guard{pattern, options.keep_build};
  const fs::path dir(pattern);
  {
    std::ofstream in(dir / "input.bin", std::ios::binary);
    in.write(reinterpret_cast<const char*>(input.data()),
             static_cast<std::streamsize>(input.size()));
    if (!in) return io_error("cannot write " + (dir / "input.bin").string());
  }
  const size_t num_layers = graph->operators.size();
  std::vector<int32_t> order;
  auto ran = options.engine == "compiled"
                 ? run_compiled(builder, *board, dir, options, *graph, order,
                                result.links)
                 : run_interpreter(builder, *board, dir, options, *blob, *graph,
                                   (*host)->arena_bytes(), result.links);
  if (!ran) return ran.status();
  const Run run = std::move(*ran);
  if (order.empty()) {
    for (size_t i = 0; i < num_layers; ++i) {
      order.push_back(static_cast<int32_t>(i));
    }
  }
  const int code = run.process.exit_code;
  if (code == kExitInitFailed || code == kExitInvokeFailed) {
    return unsupported("on " + board->target + ": " + errors_text(run.report));
  }
  if (code == kExitStackOverflow) {
    return unsupported("on " + board->target +
                       ": the inference overflowed the " +
                       std::to_string(settings.stack_bytes) + "-byte stack");
  }
  if (code == kExitFault) {
    return Status(ErrorCode::kInternal, "the firmware faulted on " +
                                            board->machine + ": " +
                                            run.process.output);
  }
  if (code != 0 || !run.report.done) {
    return Status(ErrorCode::kInternal,
                  "the firmware failed on " + board->machine + " (exit " +
                      std::to_string(code) + "): " + errors_text(run.report));
  }

  auto counts = count_instructions(run.report, board->counter_hz);
  if (!counts) return counts.status();
  if (counts->layers.size() != num_layers) {
    return Status(ErrorCode::kInternal,
                  "the firmware timed " +
                      std::to_string(counts->layers.size()) +
                      " layers, the model has " + std::to_string(num_layers));
  }
  result.board = *board;
  result.engine = options.engine;
  result.opt = options.opt;
  result.instructions = counts->inference;
  result.calibration = counts->calibration;
  result.macs = model::total_macs(*graph);
  for (size_t i = 0; i < num_layers; ++i) {
    const model::Operator& op = graph->operators[static_cast<size_t>(order[i])];
    LayerProfile layer;
    layer.index = order[i];
    layer.op = tm_builtin_op_name(op.builtin_code);
    layer.instructions = counts->layers[i];
    layer.macs = model::operator_macs(*graph, op);
    result.layers.push_back(layer);
  }

  auto device_output = read_file(dir / "output.bin");
  if (!device_output) return device_output.status();
  result.device_output = std::move(*device_output);
  result.output_bytes = result.host_output.size();
  const size_t common =
      std::min(result.device_output.size(), result.host_output.size());
  result.mismatched_bytes =
      std::max(result.device_output.size(), result.host_output.size()) - common;
  for (size_t i = 0; i < common; ++i) {
    if (result.device_output[i] != result.host_output[i])
      ++result.mismatched_bytes;
  }
  result.output_matches_host = result.mismatched_bytes == 0;

  ProcessOptions size_options;
  size_options.working_dir = dir.string();
  auto sized =
      run_process({"arm-none-eabi-size", "-A", "firmware.elf"}, size_options);
  if (!sized) return sized.status();
  auto sections = parse_size_sysv(sized->output);
  if (!sections) return sections.status();
  result.flash = flash_bytes(*sections);
  result.ram = ram_bytes(*sections);
  result.ram.stack = run.report.stack_bytes.value_or(0);
  std::ifstream map_file(dir / "firmware.map");
  const std::string map((std::istreambuf_iterator<char>(map_file)),
                        std::istreambuf_iterator<char>());
  const std::vector<MapEntry> entries = parse_map(map);
  for (const MapEntry& entry : entries) {
    if (entry.output_section == ".text" || entry.output_section == ".rodata" ||
        entry.output_section == ".tm_model" ||
        entry.output_section == ".data") {
      result.code_by_origin[origin_group(entry.file)] += entry.size;
    }
  }
  result.runtime_code = runtime_code(entries);
  if (options.keep_build) result.build_dir = dir.string();
  return result;
}

}  // namespace tierml::target
