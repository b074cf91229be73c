// The sources of the compiled engine's profiling firmware for one model: the
// code `tierml compile` generates (model.h, model.c, with the per-layer
// hooks of CompileOptions::layer_hooks) and glue.c, which gives the firmware
// (targets/common/compiled_firmware.h) typed input and output buffers, the
// arena and the two invoke calls. The kernels come from the cached runtime
// library, built from the same sources the generator would copy.
#ifndef TIERML_TARGET_COMPILED_SOURCES_H_
#define TIERML_TARGET_COMPILED_SOURCES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "codegen/compiler.h"
#include "common/status.h"
#include "model/graph.h"

namespace tierml::target {

// The C name of the generated model; the firmware's hooks are named after it.
inline constexpr const char* kCompiledModelName = "model";

struct CompiledSources {
  std::vector<codegen::GeneratedFile> files;  // model.h, model.c, glue.c
  int64_t arena_bytes = 0;
  std::vector<int32_t> order;  // operator index of each layer, as run
};

// unsupported / malformed_model for a model the compiler cannot generate.
Expected<CompiledSources> compiled_sources(const model::Graph& graph,
                                           const std::string& runtime_dir);

// glue.c for a generated model with graph's inputs and outputs; with
// runs_in_arena, they are read and written in the arena (NAME_run_in_arena).
std::string glue_source(const model::Graph& graph, bool stateful,
                        bool runs_in_arena);

}  // namespace tierml::target

#endif  // TIERML_TARGET_COMPILED_SOURCES_H_
