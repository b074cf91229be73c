// Ahead-of-time compilation of a model into C99 sources: the public header
// (NAME.h), the model (NAME.c: const weights, params folded at compile time,
// one kernel call per layer, one arena laid out by the memory plan), the
// kernel sources it needs copied from runtime/, a host harness and build
// files. See docs in tools/tierml/compile.cc for the command.
#ifndef TIERML_CODEGEN_COMPILER_H_
#define TIERML_CODEGEN_COMPILER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/graph.h"
#include "plan/plan.h"

namespace tierml::codegen {

enum class Target { kGeneric, kCortexM4, kCortexM7, kCortexM33, kCortexM55 };

// "generic", "cortex-m4", ... ; invalid_argument for anything else.
Expected<Target> parse_target(std::string_view text);
const char* target_name(Target target);
// Compiler flags selecting the target's CPU and FPU for arm-none-eabi-gcc
// ("" for generic).
const char* target_flags(Target target);

struct CompileOptions {
  std::string name = "model";  // C identifier prefixing every symbol
  Target target = Target::kGeneric;
  // Folder holding include/tierml and kernels/ (the repository's runtime/).
  std::string runtime_dir;
  std::string source_description;  // for the header comment (a file name)
  // Also emit NAME_invoke_layers_with_arena: the same calls with
  // NAME_layer_begin() and NAME_layer_end() (defined by the caller) around
  // each layer, for tierml profile's per-layer timing. On GCC its code goes
  // to section .tm_measure_text, which the profiling firmware leaves out of
  // its flash figure; NAME_invoke_with_arena is unchanged.
  bool layer_hooks = false;
};

struct LayerSummary {
  int32_t step = 0;
  int32_t op_index = 0;
  std::string op;
  std::string shapes;  // "[1,49,10,1] -> [1,25,5,64]"
  int64_t macs = 0;
  int64_t constant_bytes = 0;  // weights, params and arrays the call reads
  int64_t scratch_bytes = 0;
  int64_t live_bytes = 0;  // arena bytes live at this step (from the plan)
};

struct GeneratedFile {
  std::string path;  // relative to the output folder
  std::string content;
};

struct CompiledModel {
  std::vector<GeneratedFile> files;
  int64_t arena_bytes = 0;
  int64_t constant_bytes = 0;  // const data in NAME.c (host struct sizes)
  int64_t weight_bytes = 0;    // of which constant tensors
  bool stateful = false;
  bool runs_in_arena = false;  // NAME_run_in_arena exists (no constant output)
  std::vector<std::string> kernel_sources;  // "kernels/conv.cc", ...
  std::vector<LayerSummary> layers;
};

// The repository's runtime/ (compile-time default; the environment variable
// TIERML_RUNTIME_DIR overrides it).
std::string default_runtime_dir();

// Checks the model the same way the device interpreter does (its prepare
// messages, "node N (OP): ..."), then generates code for plan, which must
// be a valid plan of graph. unsupported / malformed_model for a model the
// compiler cannot run, io_error when the runtime sources are missing.
Expected<CompiledModel> compile_model(const model::Graph& graph,
                                      const plan::Plan& plan,
                                      const CompileOptions& options);

// Writes every file under dir (created if missing). io_error saying what to
// do when dir cannot be created or written.
Status write_compiled_model(const std::string& dir,
                            const CompiledModel& compiled);

}  // namespace tierml::codegen

#endif  // TIERML_CODEGEN_COMPILER_H_
