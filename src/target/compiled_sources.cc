#include "target/compiled_sources.h"

#include <algorithm>

#include "plan/plan.h"

namespace tierml::target {
namespace {

// The table entries of each input or output: its own static buffer
// ("static int8_t input0[490] ..."), or, when the model runs in place, its
// place in the arena.
struct Buffers {
  std::string definitions, pointers, bytes, arguments;
};

Buffers buffers(const model::Graph& graph, const std::vector<int32_t>& tensors,
                const std::string& kind, const std::string& macro,
                bool in_arena) {
  const std::string n = kCompiledModelName;
  Buffers b;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const model::Tensor& t = graph.tensors[static_cast<size_t>(tensors[i])];
    const std::string name = kind + std::to_string(i);
    const std::string prefix = n + "_" + macro + std::to_string(i);
    if (in_arena) {
      b.pointers += (i ? ", " : "") + ("tm_arena + " + prefix + "_OFFSET");
    } else {
      b.definitions +=
          "static " + prefix + "_TYPE " + name + "[" +
          std::to_string(std::max<int64_t>(1, model::element_count(t.shape))) +
          "] __attribute__((aligned(16)));\n";
      b.pointers += (i ? ", " : "") + name;
      b.arguments += ", " + name;
    }
    b.bytes += (i ? ", " : "") + prefix + "_BYTES";
  }
  if (tensors.empty()) {
    b.pointers = "0";
    b.bytes = "0";
  }
  return b;
}

}  // namespace

std::string glue_source(const model::Graph& graph, bool stateful,
                        bool runs_in_arena) {
  const std::string n = kCompiledModelName;
  const Buffers in =
      buffers(graph, graph.inputs, "input", "INPUT", runs_in_arena);
  const Buffers out =
      buffers(graph, graph.outputs, "output", "OUTPUT", runs_in_arena);
  std::string text =
      "/* The generated model's buffers and calls for the profiling firmware "
      "*/\n#include \"compiled_firmware.h\"\n#include \"" +
      n + ".h\"\n\n";
  text += "uint8_t tm_arena[" + n + "_ARENA_BYTES > 0 ? " + n +
          "_ARENA_BYTES : 1]\n    __attribute__((section(\".tm_arena\"), "
          "aligned(" +
          n + "_ARENA_ALIGNMENT)));\n";
  text += "const size_t tm_arena_bytes = " + n + "_ARENA_BYTES;\n\n";
  text += in.definitions + out.definitions;
  text += "void* const tm_inputs[] = {" + in.pointers + "};\n";
  text += "const size_t tm_input_bytes[] = {" + in.bytes + "};\n";
  text += "const int tm_num_inputs = " + n + "_NUM_INPUTS;\n";
  text += "void* const tm_outputs[] = {" + out.pointers + "};\n";
  text += "const size_t tm_output_bytes[] = {" + out.bytes + "};\n";
  text += "const int tm_num_outputs = " + n + "_NUM_OUTPUTS;\n\n";
  text += "void tm_compiled_reset(void) {" +
          (stateful ? " " + n + "_reset_arena(tm_arena); " : std::string()) +
          "}\n\n";
  // In place, like TFLM's measurement: the input is written into the arena
  // before the run, the output read from it after; no copies are timed.
  const std::string call = runs_in_arena
                               ? n + "_run_in_arena(tm_arena)"
                               : n + "_invoke_with_arena(tm_arena" +
                                     in.arguments + out.arguments + ")";
  const std::string layers_call =
      runs_in_arena ? n + "_run_layers_in_arena(tm_arena)"
                    : n + "_invoke_layers_with_arena(tm_arena" + in.arguments +
                          out.arguments + ")";
  text += "int tm_compiled_invoke(void) {\n  return " + call + ";\n}\n\n";
  text +=
      "int tm_compiled_invoke_layers(void)\n"
      "    __attribute__((section(\".tm_measure_text\")));\n"
      "int tm_compiled_invoke_layers(void) {\n  return " +
      layers_call + ";\n}\n";
  return text;
}

Expected<CompiledSources> compiled_sources(const model::Graph& graph,
                                           const std::string& runtime_dir) {
  auto plan = plan::plan_memory(graph);
  if (!plan) return plan.status();
  codegen::CompileOptions options;
  options.name = kCompiledModelName;
  options.runtime_dir = runtime_dir;
  options.source_description = "profiled by tierml profile";
  options.layer_hooks = true;
  auto compiled = codegen::compile_model(graph, *plan, options);
  if (!compiled) return compiled.status();
  CompiledSources sources;
  const std::string n = kCompiledModelName;
  for (codegen::GeneratedFile& file : compiled->files) {
    if (file.path == n + ".h" || file.path == n + ".c") {
      sources.files.push_back(std::move(file));
    }
  }
  sources.files.push_back({"glue.c", glue_source(graph, compiled->stateful,
                                                 compiled->runs_in_arena)});
  sources.arena_bytes = compiled->arena_bytes;
  for (const codegen::LayerSummary& layer : compiled->layers) {
    sources.order.push_back(layer.op_index);
  }
  return sources;
}

}  // namespace tierml::target
