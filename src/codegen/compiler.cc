#include "codegen/compiler.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "codegen/kernel_sources.h"
#include "codegen/layer_context.h"
#include "codegen/project_files.h"
#include "model/macs.h"
#include "model/writer.h"
#include "runtime_host/host_interpreter.h"

#ifndef TIERML_RUNTIME_DIR
#define TIERML_RUNTIME_DIR "runtime"
#endif

namespace tierml::codegen {
namespace {

namespace fs = std::filesystem;

TmTensor host_tensor(const model::Tensor& t) {
  TmTensor tensor{};
  tensor.type = t.type;
  tensor.shape.rank = static_cast<int32_t>(t.shape.size());
  for (size_t i = 0; i < t.shape.size() && i < TM_MAX_DIMS; ++i) {
    tensor.shape.dims[i] = t.shape[i];
  }
  tensor.quant.count = static_cast<int32_t>(t.quantization.scales.size());
  tensor.quant.quantized_dimension = t.quantization.quantized_dimension;
  tensor.quant.zero_point =
      t.quantization.zero_points.empty()
          ? 0
          : static_cast<int32_t>(t.quantization.zero_points[0]);
  tensor.quant.scales =
      t.quantization.scales.empty() ? nullptr : t.quantization.scales.data();
  // Kernels read constant data at prepare (folding, index inputs); variable
  // tensors are state, not constants, whatever initial bytes they carry.
  if (t.is_constant() && !t.is_variable) {
    tensor.data = const_cast<uint8_t*>(t.data.data());
  }
  const int64_t bytes = model::tensor_bytes(t);
  tensor.bytes = bytes > 0 ? static_cast<size_t>(bytes) : 0;
  return tensor;
}

// The device interpreter's prepare is the reference for what a model may
// contain; running it first gives the compiler the same checks and the same
// "node N (OP): ..." messages.
Status check_with_interpreter(const model::Graph& graph) {
  auto blob = model::write_model(graph);
  if (!blob) return blob.status();
  auto host = HostInterpreter::load(*blob);
  if (!host) return host.status();
  return Status::ok();
}

Status map_buffers(const model::Graph& graph, const plan::Plan& plan,
                   CodeUnit& unit) {
  unit.buffer_of.assign(graph.tensors.size(), -1);
  for (size_t b = 0; b < plan.buffers.size(); ++b) {
    const plan::Buffer& buffer = plan.buffers[b];
    if (buffer.offset < 0 || buffer.bytes < 0 ||
        buffer.offset + buffer.bytes > plan.arena_bytes) {
      return Status(ErrorCode::kInternal, "memory plan buffer " +
                                              std::to_string(b) +
                                              " lies outside the arena");
    }
    if (buffer.kind == plan::Buffer::Kind::kScratch) {
      unit.scratch_of[buffer.operator_index] = static_cast<int32_t>(b);
    } else if (buffer.tensor >= 0 &&
               static_cast<size_t>(buffer.tensor) < graph.tensors.size()) {
      unit.buffer_of[static_cast<size_t>(buffer.tensor)] =
          static_cast<int32_t>(b);
    }
  }
  // Every tensor the code touches that is not a constant needs a place.
  auto check = [&](int32_t t) -> Status {
    if (t < 0) return Status::ok();
    const model::Tensor& tensor = graph.tensors[static_cast<size_t>(t)];
    if ((tensor.is_constant() && !tensor.is_variable) ||
        unit.buffer_of[static_cast<size_t>(t)] >= 0) {
      return Status::ok();
    }
    return Status(
        ErrorCode::kInternal,
        "the memory plan has no buffer for tensor " + std::to_string(t));
  };
  for (const model::Operator& op : graph.operators) {
    for (int32_t t : op.inputs) {
      if (Status s = check(t); !s.is_ok()) return s;
    }
    for (int32_t t : op.outputs) {
      if (Status s = check(t); !s.is_ok()) return s;
    }
  }
  for (int32_t t : graph.inputs) {
    if (Status s = check(t); !s.is_ok()) return s;
  }
  for (int32_t t : graph.outputs) {
    if (Status s = check(t); !s.is_ok()) return s;
  }
  return Status::ok();
}

std::string shapes_text(const model::Graph& graph, const model::Operator& op) {
  std::string text;
  for (int32_t t : op.inputs) {
    if (t < 0) continue;
    const model::Tensor& tensor = graph.tensors[static_cast<size_t>(t)];
    if (tensor.is_constant() && !tensor.is_variable) continue;
    text += (text.empty() ? "" : " ") + model::shape_string(tensor.shape);
  }
  text += " ->";
  for (int32_t t : op.outputs) {
    if (t >= 0) {
      text += " " +
              model::shape_string(graph.tensors[static_cast<size_t>(t)].shape);
    }
  }
  return text;
}

std::string layer_comment(const model::Graph& graph, int32_t index) {
  const model::Operator& op = graph.operators[static_cast<size_t>(index)];
  std::string text = "/* node " + std::to_string(index) + ": " +
                     model::op_name(op.builtin_code) + " ";
  for (int32_t t : op.inputs) {
    if (t < 0) continue;
    const model::Tensor& tensor = graph.tensors[static_cast<size_t>(t)];
    if (tensor.is_constant() && !tensor.is_variable) {
      text += "(w" + model::shape_string(tensor.shape) + ") ";
    } else {
      text += std::string(model::type_name(tensor.type)) +
              model::shape_string(tensor.shape) + " ";
    }
  }
  text += "->";
  for (int32_t t : op.outputs) {
    if (t < 0) continue;
    const model::Tensor& tensor = graph.tensors[static_cast<size_t>(t)];
    text += std::string(" ") + model::type_name(tensor.type) +
            model::shape_string(tensor.shape);
  }
  return text + " */";
}

IoTensor io_tensor(const model::Graph& graph, int32_t index) {
  const model::Tensor& t = graph.tensors[static_cast<size_t>(index)];
  IoTensor io;
  io.tensor = index;
  io.type = t.type;
  io.shape = t.shape;
  io.bytes = model::tensor_bytes(t);
  if (t.quantization.scales.size() == 1) {
    io.scale = t.quantization.scales[0];
    io.zero_point =
        t.quantization.zero_points.empty() ? 0 : t.quantization.zero_points[0];
  }
  return io;
}

// The arena check that starts every entry point.
std::string arena_check(const ModelInterface& model) {
  return "  uint8_t* a = (uint8_t*)arena;\n  if (a == NULL || ((uintptr_t)a "
         "% " +
         std::to_string(model.arena_alignment) + "u) != 0) return -1;\n";
}

// The copies of the inputs into the arena, a call of run, the copies of
// the outputs: the body of an invoke function.
std::string invoke_body(const ModelInterface& model, const CodeUnit& unit,
                        const std::string& run) {
  std::string text = arena_check(model);
  for (size_t i = 0; i < model.inputs.size(); ++i) {
    const IoTensor& io = model.inputs[i];
    text += "  memcpy(a + " + std::to_string(io.arena_offset) + ", input" +
            std::to_string(i) + ", " + std::to_string(io.bytes) + "u);\n";
  }
  text += "  " + run + "(a);\n";
  for (size_t i = 0; i < model.outputs.size(); ++i) {
    const IoTensor& io = model.outputs[i];
    const std::string from = io.arena_offset >= 0
                                 ? "a + " + std::to_string(io.arena_offset)
                                 : unit.constant_names.at(io.tensor);
    text += "  memcpy(output" + std::to_string(i) + ", " + from + ", " +
            std::to_string(io.bytes) + "u);\n";
  }
  return text + "  return 0;\n";
}

// NAME_run_in_arena, or the layer-timed variant: inputs and outputs stay
// where the plan put them.
std::string run_in_arena(const ModelInterface& model, const std::string& name,
                         const std::string& run,
                         const std::string& attributes) {
  return "int " + name + "(void* arena)" + attributes + ";\nint " + name +
         "(void* arena) {\n" + arena_check(model) + "  " + run +
         "(a);\n  return 0;\n}\n";
}

// NAME_invoke_layers_with_arena (CompileOptions::layer_hooks).
std::string layer_hooks_source(const ModelInterface& model,
                               const CodeUnit& unit,
                               const std::string& timed_body) {
  const std::string& n = model.name;
  std::string text =
      "/* Per-layer timing for tierml profile: the same calls between hooks\n"
      " * the firmware defines, kept apart from the model's own code. */\n";
  text += "#if defined(__GNUC__)\n#define " + n +
          "_MEASURE __attribute__((section(\".tm_measure_text\")))\n#else\n"
          "#define " +
          n + "_MEASURE\n#endif\n";
  text += "void " + n + "_layer_begin(void);\n";
  text += "void " + n + "_layer_end(void);\n";
  text += "int " + n + "_invoke_layers_with_arena(void* arena, " +
          io_parameters(model) + ") " + n + "_MEASURE;\n\n";
  text += "static " + n + "_MEASURE void " + n + "_run_layers(uint8_t* a) {\n" +
          timed_body + "}\n\n";
  text += "int " + n + "_invoke_layers_with_arena(void* arena, " +
          io_parameters(model) + ") {\n" +
          invoke_body(model, unit, n + "_run_layers") + "}\n";
  if (model.runs_in_arena()) {
    text += "\n" + run_in_arena(model, n + "_run_layers_in_arena",
                                n + "_run_layers", " " + n + "_MEASURE");
  }
  return text;
}

std::string model_source(const ModelInterface& model, const CodeUnit& unit,
                         const std::vector<std::string>& kernel_headers,
                         const std::vector<IoTensor>& state, bool layer_hooks,
                         const std::string& timed_body) {
  const std::string& n = model.name;
  std::string text = "/* " + model.description +
                     "\n * Generated by tierml compile; do not edit. Each "
                     "layer is one kernel call\n * on the arena; weights and "
                     "kernel parameters are const data. */\n";
  text += "#include \"" + n + ".h\"\n\n";
  if (unit.uses_math_h) text += "#include <math.h>\n";
  text += "#include <stddef.h>\n#include <string.h>\n\n";
  for (const std::string& header : kernel_headers) {
    text += "#include \"" + header + "\"\n";
  }
  text += "\n/* Constant tensors and per-channel requantization. */\n";
  text += unit.constants;
  text += "\n/* Kernel parameters, computed at compile time. */\n";
  text += unit.definitions;
  // Alignment beyond the types' own only matters for speed; C99 has no
  // portable way to ask for it.
  text += "\n#if defined(__GNUC__)\n#define " + n +
          "_ALIGNED __attribute__((aligned(" +
          std::to_string(model.arena_alignment) + ")))\n#else\n#define " + n +
          "_ALIGNED\n#endif\n";
  text += "static uint8_t " + n + "_arena[" +
          std::to_string(model.arena_bytes > 0 ? model.arena_bytes : 1) + "] " +
          n + "_ALIGNED;\n\n";
  text += "static void " + n + "_run(uint8_t* a) {\n" + unit.body + "}\n\n";
  if (model.stateful) {
    text += "void " + n + "_reset_arena(void* arena) {\n";
    text += "  uint8_t* a = (uint8_t*)arena;\n";
    for (const IoTensor& s : state) {
      const int32_t b = unit.buffer_of[static_cast<size_t>(s.tensor)];
      const int64_t offset = unit.plan->buffers[static_cast<size_t>(b)].offset;
      // The interpreter's reset: an int8 state starts at its zero point.
      const int64_t fill = s.type == kTmInt8 ? s.zero_point : 0;
      text += "  memset(a + " + std::to_string(offset) + ", " +
              int_literal(fill) + ", " + std::to_string(s.bytes) + "u);\n";
    }
    text += "}\n\n";
    text += "void " + n + "_init(void) { " + n + "_reset_arena(" + n +
            "_arena); }\n\n";
    text += "void " + n + "_reset(void) { " + n + "_reset_arena(" + n +
            "_arena); }\n\n";
  }
  std::string args;
  for (size_t i = 0; i < model.inputs.size(); ++i) {
    args += ", input" + std::to_string(i);
  }
  for (size_t i = 0; i < model.outputs.size(); ++i) {
    args += ", output" + std::to_string(i);
  }
  text += "int " + n + "_invoke_with_arena(void* arena, " +
          io_parameters(model) + ") {\n" +
          invoke_body(model, unit, n + "_run") + "}\n\n";
  text += "int " + n + "_invoke(" + io_parameters(model) + ") {\n";
  text +=
      "  return " + n + "_invoke_with_arena(" + n + "_arena" + args + ");\n}\n";
  if (model.runs_in_arena()) {
    text += "\n" + run_in_arena(model, n + "_run_in_arena", n + "_run", "");
  }
  if (layer_hooks) {
    text += "\n" + layer_hooks_source(model, unit, timed_body);
  }
  return text;
}

}  // namespace

Expected<Target> parse_target(std::string_view text) {
  for (Target t : {Target::kGeneric, Target::kCortexM4, Target::kCortexM7,
                   Target::kCortexM33, Target::kCortexM55}) {
    if (text == target_name(t)) return t;
  }
  return invalid_argument("unknown target '" + std::string(text) +
                          "' (generic, cortex-m4, cortex-m7, cortex-m33, "
                          "cortex-m55)");
}

const char* target_name(Target target) {
  switch (target) {
    case Target::kCortexM4:
      return "cortex-m4";
    case Target::kCortexM7:
      return "cortex-m7";
    case Target::kCortexM33:
      return "cortex-m33";
    case Target::kCortexM55:
      return "cortex-m55";
    default:
      return "generic";
  }
}

const char* target_flags(Target target) {
  switch (target) {
    case Target::kCortexM4:
      return "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16";
    case Target::kCortexM7:
      return "-mcpu=cortex-m7 -mthumb -mfloat-abi=hard -mfpu=fpv5-d16";
    case Target::kCortexM33:
      return "-mcpu=cortex-m33 -mthumb -mfloat-abi=hard -mfpu=fpv5-sp-d16";
    case Target::kCortexM55:
      return "-mcpu=cortex-m55 -mthumb -mfloat-abi=hard";
    default:
      return "";
  }
}

std::string default_runtime_dir() {
  const char* env = std::getenv("TIERML_RUNTIME_DIR");
  return env != nullptr && *env ? env : TIERML_RUNTIME_DIR;
}

Expected<CompiledModel> compile_model(const model::Graph& graph,
                                      const plan::Plan& plan,
                                      const CompileOptions& options) {
  if (!is_c_identifier(options.name)) {
    return invalid_argument("--name '" + options.name +
                            "' is not a C identifier (letters, digits and _, "
                            "not starting with a digit, at most 64)");
  }
  if (Status s = check_with_interpreter(graph); !s.is_ok()) return s;
  if (Status s = plan::validate_plan(graph, plan); !s.is_ok()) {
    return Status(ErrorCode::kInternal,
                  "the memory plan is invalid: " + s.message());
  }
  CodeUnit unit;
  unit.graph = &graph;
  unit.plan = &plan;
  for (const model::Tensor& t : graph.tensors) {
    unit.tensors.push_back(host_tensor(t));
  }
  if (Status s = map_buffers(graph, plan, unit); !s.is_ok()) return s;

  CompiledModel compiled;
  std::string timed_body;  // with layer_hooks: the body between hooks
  for (size_t step = 0; step < plan.order.size(); ++step) {
    const int32_t index = plan.order[step];
    if (index < 0 || static_cast<size_t>(index) >= graph.operators.size()) {
      return Status(ErrorCode::kInternal,
                    "the memory plan's order names "
                    "operator " +
                        std::to_string(index));
    }
    unit.body += "  " + layer_comment(graph, index) + "\n";
    const size_t layer_start = unit.body.size();
    LayerContext ctx(unit, index);
    if (Status s = emit_layer(ctx); !s.is_ok()) return s;
    if (options.layer_hooks) {
      timed_body += "  " + layer_comment(graph, index) + "\n  " + options.name +
                    "_layer_begin();\n" + unit.body.substr(layer_start) + "  " +
                    options.name + "_layer_end();\n";
    }
    LayerSummary layer;
    layer.step = static_cast<int32_t>(step);
    layer.op_index = index;
    layer.op = ctx.op_name();
    layer.shapes = shapes_text(graph, ctx.op());
    layer.macs = model::operator_macs(graph, ctx.op());
    layer.constant_bytes = ctx.constant_bytes();
    layer.scratch_bytes = ctx.scratch_bytes();
    if (step < plan.live_bytes_per_step.size()) {
      layer.live_bytes = plan.live_bytes_per_step[step];
    }
    compiled.layers.push_back(layer);
  }

  ModelInterface model;
  model.name = options.name;
  model.description =
      options.name + ": " +
      (options.source_description.empty() ? std::string("model")
                                          : options.source_description) +
      ", " + std::to_string(graph.operators.size()) + " operators";
  model.arena_bytes = plan.arena_bytes;
  model.arena_alignment = plan.alignment > 0 ? plan.alignment : 16;
  model.target = options.target;
  for (int32_t t : graph.inputs) model.inputs.push_back(io_tensor(graph, t));
  for (int32_t t : graph.outputs) model.outputs.push_back(io_tensor(graph, t));
  std::vector<IoTensor> state;
  for (size_t t = 0; t < graph.tensors.size(); ++t) {
    if (graph.tensors[t].is_variable && unit.buffer_of[t] >= 0) {
      state.push_back(io_tensor(graph, static_cast<int32_t>(t)));
      if (!graph.tensors[t].quantization.zero_points.empty()) {
        state.back().zero_point = graph.tensors[t].quantization.zero_points[0];
      }
    }
  }
  model.stateful = !state.empty();
  for (IoTensor& io : model.inputs) {
    const int32_t b = unit.buffer_of[static_cast<size_t>(io.tensor)];
    if (b < 0) {
      return unsupported("graph input tensor " + std::to_string(io.tensor) +
                         " is a constant");
    }
    io.arena_offset = plan.buffers[static_cast<size_t>(b)].offset;
  }
  for (IoTensor& io : model.outputs) {
    const int32_t b = unit.buffer_of[static_cast<size_t>(io.tensor)];
    if (b >= 0) io.arena_offset = plan.buffers[static_cast<size_t>(b)].offset;
  }
  for (const IoTensor& io : model.outputs) {
    if (unit.buffer_of[static_cast<size_t>(io.tensor)] < 0 &&
        !unit.constant_names.count(io.tensor)) {
      return unsupported("graph output tensor " + std::to_string(io.tensor) +
                         " is a constant no operator reads");
    }
  }

  auto sources = collect_kernel_sources(
      options.runtime_dir.empty() ? default_runtime_dir() : options.runtime_dir,
      unit.kernels);
  if (!sources) return sources.status();
  std::vector<std::string> kernel_headers;
  for (const std::string& kernel : unit.kernels) {
    kernel_headers.push_back("kernels/" + kernel.substr(0, kernel.rfind('.')) +
                             ".h");
  }
  for (const SourceFile& file : *sources) {
    compiled.files.push_back({"runtime/" + file.path, file.content});
    if (file.path.size() > 3 &&
        file.path.compare(file.path.size() - 3, 3, ".cc") == 0) {
      model.kernel_sources.push_back(file.path);
    }
  }
  compiled.kernel_sources = model.kernel_sources;
  const std::string& n = options.name;
  compiled.files.push_back({n + ".h", header_file(model)});
  compiled.files.push_back(
      {n + ".c", model_source(model, unit, kernel_headers, state,
                              options.layer_hooks, timed_body)});
  compiled.files.push_back({n + "_host.c", harness_file(model)});
  compiled.files.push_back({"Makefile", makefile(model)});
  compiled.files.push_back({"CMakeLists.txt", cmake_file(model)});
  compiled.arena_bytes = plan.arena_bytes;
  compiled.constant_bytes = unit.constant_bytes;
  for (const auto& [tensor, name] : unit.constant_names) {
    compiled.weight_bytes += static_cast<int64_t>(
        graph.tensors[static_cast<size_t>(tensor)].data.size());
  }
  compiled.stateful = model.stateful;
  compiled.runs_in_arena = model.runs_in_arena();
  return compiled;
}

Status write_compiled_model(const std::string& dir,
                            const CompiledModel& compiled) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error || !fs::is_directory(dir)) {
    return io_error("cannot create the output folder " + dir + ": " +
                    (error ? error.message() : "not a folder") +
                    "; pass -o with a folder you can write to");
  }
  for (const GeneratedFile& file : compiled.files) {
    const fs::path path = fs::path(dir) / file.path;
    fs::create_directories(path.parent_path(), error);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(file.content.data(),
              static_cast<std::streamsize>(file.content.size()));
    out.close();
    if (!out) {
      return io_error("cannot write " + path.string() +
                      "; pass -o with a folder you can write to");
    }
  }
  return Status::ok();
}

}  // namespace tierml::codegen
