#include "target/profiler.h"

#include <algorithm>
#include <cstring>

#include "io/file.h"
#include "model/macs.h"
#include "model/reader.h"
#include "runtime_host/host_interpreter.h"

namespace tierml::target {
namespace {

// The firmware's exit code when the arena differs from what init reports
// (targets/common/profile_support.h).
constexpr int kExitArenaMismatch = 10;
constexpr int kMaxLinks = 8;

// Links the interpreter's firmware and runs it, sizing the arena by the
// device's own report: start from the host's figure (a 64-bit host needs
// more than a 32-bit device for the same model, but not always), grow while
// init says it is too small, then link exactly.
Expected<Run> run_interpreter(Workspace& workspace,
                              const ProfileOptions& options,
                              const std::vector<uint8_t>& blob,
                              const model::Graph& graph, uint64_t arena,
                              int& links) {
  if (options.progress) options.progress("building the model's firmware");
  FirmwareBuilder& builder = workspace.builder();
  Status status = builder.write_model_sources(workspace.dir(), blob, graph);
  if (!status.is_ok()) return status;
  for (;;) {
    if (++links > kMaxLinks) {
      return Status(ErrorCode::kInternal,
                    "the arena size did not settle after " +
                        std::to_string(kMaxLinks) + " links");
    }
    status = builder.link(workspace.dir(), arena);
    if (!status.is_ok()) return status;
    auto ran = workspace.run(graph.operators.size());
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
Expected<Run> run_compiled(Workspace& workspace, const ProfileOptions& options,
                           const model::Graph& graph,
                           std::vector<int32_t>& order, int& links) {
  if (options.progress) {
    options.progress("generating and building the model's C");
  }
  FirmwareBuilder& builder = workspace.builder();
  auto sources = builder.write_compiled_sources(workspace.dir(), graph);
  if (!sources) return sources.status();
  order = sources->order;
  ++links;
  Status status = builder.link_compiled(workspace.dir());
  if (!status.is_ok()) return status;
  return workspace.run(graph.operators.size());
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

Expected<ProfileResult> profile_model(const ProfileOptions& options) {
  if (options.engine != "interpreter" && options.engine != "compiled") {
    return invalid_argument("unknown engine '" + options.engine +
                            "' (interpreter or compiled)");
  }
  auto board = check_run_options(options);
  if (!board) return board.status();

  auto blob = io::read_file(options.model_path);
  if (!blob) return blob.status();
  auto graph = model::read_model(*blob);
  if (!graph) {
    return Status(graph.status().code(),
                  options.model_path + ": " + graph.status().message());
  }
  // The device runs in an arena of the host's size: no host-only copies of
  // the weights in it.
  InterpreterOptions device_arena;
  device_arena.pack_weights = false;
  auto host = HostInterpreter::load(*blob, device_arena);
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

  auto workspace = Workspace::create(options, *board);
  if (!workspace) return workspace.status();
  Workspace& work = **workspace;
  status = work.write_input(input);
  if (!status.is_ok()) return status;
  const size_t num_layers = graph->operators.size();
  std::vector<int32_t> order;
  auto ran = options.engine == "compiled"
                 ? run_compiled(work, options, *graph, order, result.links)
                 : run_interpreter(work, options, *blob, *graph,
                                   (*host)->arena_bytes(), result.links);
  if (!ran) return ran.status();
  const Run run = std::move(*ran);
  if (order.empty()) {
    for (size_t i = 0; i < num_layers; ++i) {
      order.push_back(static_cast<int32_t>(i));
    }
  }
  status = work.check_exit(run, "the inference");
  if (!status.is_ok()) return status;

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

  auto device_output = work.read_output();
  if (!device_output) return device_output.status();
  result.device_output = std::move(*device_output);
  result.output_bytes = result.host_output.size();
  std::vector<OutputTensor> tensors;
  for (int i = 0; i < (*host)->num_outputs(); ++i) {
    const TmTensor& output = (*host)->output(i);
    tensors.push_back({output.type == kTmFloat32, output.bytes});
  }
  result.mismatched_bytes =
      mismatched_bytes(result.device_output, result.host_output, tensors);
  result.output_matches_host = result.mismatched_bytes == 0;

  auto figures = work.figures(run);
  if (!figures) return figures.status();
  result.flash = figures->flash;
  result.ram = figures->ram;
  result.code_by_origin = figures->code_by_origin;
  result.runtime_code = runtime_code(figures->map);
  if (options.keep_build) result.build_dir = work.dir();
  return result;
}

}  // namespace tierml::target
