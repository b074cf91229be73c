// tierml inspect MODEL [--json]
//
// What a model is made of: its inputs and outputs, every operator with its
// shapes, parameters and MACs, and where the bytes go (weights, activations,
// an arena estimate). A human table by default, JSON with --json.
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "model/graph.h"
#include "model/macs.h"
#include "model/memory.h"
#include "model/reader.h"

namespace tierml::cli {
namespace {

using model::Graph;
using model::Operator;
using model::Tensor;
using nlohmann::ordered_json;

struct InspectOptions {
  std::string model;
  bool json = false;
};

const char* activation_name(TmActivation a) {
  switch (a) {
    case kTmActNone:
      return "NONE";
    case kTmActRelu:
      return "RELU";
    case kTmActReluN1To1:
      return "RELU_N1_TO_1";
    case kTmActRelu6:
      return "RELU6";
    case kTmActTanh:
      return "TANH";
    case kTmActSignBit:
      return "SIGN_BIT";
  }
  return "UNKNOWN";
}

const char* padding_name(TmPadding p) {
  return p == kTmPaddingSame ? "SAME" : "VALID";
}

ordered_json hw(int32_t h, int32_t w) { return {{"h", h}, {"w", w}}; }

// The parameters that matter for each operator, in reading order.
ordered_json op_params(const Operator& op) {
  const auto& u = op.attrs.u;
  switch (op.builtin_code) {
    case kTmOpConv2d:
      return {{"stride", hw(u.conv.stride_h, u.conv.stride_w)},
              {"padding", padding_name(u.conv.padding)},
              {"dilation", hw(u.conv.dilation_h, u.conv.dilation_w)},
              {"activation", activation_name(u.conv.activation)}};
    case kTmOpDepthwiseConv2d:
      return {{"stride", hw(u.depthwise.stride_h, u.depthwise.stride_w)},
              {"padding", padding_name(u.depthwise.padding)},
              {"depth_multiplier", u.depthwise.depth_multiplier},
              {"dilation", hw(u.depthwise.dilation_h, u.depthwise.dilation_w)},
              {"activation", activation_name(u.depthwise.activation)}};
    case kTmOpTransposeConv:
      return {
          {"stride", hw(u.transpose_conv.stride_h, u.transpose_conv.stride_w)},
          {"padding", padding_name(u.transpose_conv.padding)},
          {"activation", activation_name(u.transpose_conv.activation)}};
    case kTmOpAveragePool2d:
    case kTmOpMaxPool2d:
      return {{"filter", hw(u.pool.filter_h, u.pool.filter_w)},
              {"stride", hw(u.pool.stride_h, u.pool.stride_w)},
              {"padding", padding_name(u.pool.padding)},
              {"activation", activation_name(u.pool.activation)}};
    case kTmOpFullyConnected:
      return {{"keep_num_dims", u.fully_connected.keep_num_dims != 0},
              {"activation", activation_name(u.fully_connected.activation)}};
    case kTmOpSoftmax:
      return {{"beta", u.softmax.beta}};
    case kTmOpAdd:
    case kTmOpSub:
    case kTmOpMul:
      return {{"activation", activation_name(u.elementwise.activation)}};
    case kTmOpConcatenation:
      return {{"axis", u.concatenation.axis},
              {"activation", activation_name(u.concatenation.activation)}};
    case kTmOpSqueeze: {
      const int32_t n =
          std::clamp(u.squeeze.num_squeeze_dims, 0, TM_MAX_SQUEEZE_DIMS);
      return {
          {"squeeze_dims", std::vector<int32_t>(u.squeeze.squeeze_dims,
                                                u.squeeze.squeeze_dims + n)}};
    }
    case kTmOpMean:
      return {{"keep_dims", u.reducer.keep_dims != 0}};
    case kTmOpStridedSlice:
      return {{"begin_mask", u.strided_slice.begin_mask},
              {"end_mask", u.strided_slice.end_mask},
              {"ellipsis_mask", u.strided_slice.ellipsis_mask},
              {"new_axis_mask", u.strided_slice.new_axis_mask},
              {"shrink_axis_mask", u.strided_slice.shrink_axis_mask},
              {"offset", u.strided_slice.offset != 0}};
    case kTmOpLeakyRelu:
      return {{"alpha", u.leaky_relu.alpha}};
    case kTmOpSvdf:
      return {{"rank", u.svdf.rank},
              {"activation", activation_name(u.svdf.activation)}};
    case kTmOpUnidirectionalSequenceLstm:
      return {{"activation", activation_name(u.lstm.activation)},
              {"cell_clip", u.lstm.cell_clip},
              {"proj_clip", u.lstm.proj_clip},
              {"time_major", u.lstm.time_major != 0}};
    default:
      return ordered_json::object();
  }
}

// "stride=2x2 padding=SAME"; defaults that say nothing (no activation,
// dilation 1x1, false flags, zero masks) are left out of the table.
std::string params_text(const ordered_json& params) {
  std::string text;
  for (const auto& [key, value] : params.items()) {
    std::string shown;
    if (value.is_object()) {
      if (key == "dilation" && value["h"] == 1 && value["w"] == 1) continue;
      shown =
          fmt::format("{}x{}", value["h"].get<int>(), value["w"].get<int>());
    } else if (value.is_string()) {
      if (value == "NONE") continue;
      shown = value.get<std::string>();
    } else if (value.is_boolean()) {
      if (!value.get<bool>()) continue;
      shown = "true";
    } else if (value.is_number_integer() && key.ends_with("_mask")) {
      if (value.get<int>() == 0) continue;
      shown = value.dump();
    } else {
      shown = value.dump();
    }
    text += (text.empty() ? "" : " ") + key + "=" + shown;
  }
  return text;
}

// 1234567 -> "1,234,567".
std::string grouped(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<size_t>(i), ",");
  }
  return value < 0 ? "-" + digits : digits;
}

ordered_json quantization_json(const model::Quantization& q) {
  if (!q.is_quantized()) return nullptr;
  return {{"scales", q.scales},
          {"zero_points", q.zero_points},
          {"quantized_dimension", q.quantized_dimension}};
}

std::string quantization_text(const model::Quantization& q) {
  if (!q.is_quantized()) return "-";
  if (q.scales.size() == 1) {
    return fmt::format("scale {:.6g} zero point {}", q.scales[0],
                       q.zero_points[0]);
  }
  return fmt::format("per channel: {} scales on dim {}", q.scales.size(),
                     q.quantized_dimension);
}

// Operands leave quantization out (per-channel weights would repeat every
// scale); the model's inputs and outputs carry it.
ordered_json tensor_json(const Graph& graph, int32_t index,
                         bool with_quantization) {
  const Tensor& t = graph.tensors[index];
  ordered_json json = {{"tensor", index},
                       {"name", t.name},
                       {"type", model::type_name(t.type)},
                       {"shape", t.shape},
                       {"bytes", model::tensor_bytes(t)},
                       {"constant", t.is_constant()},
                       {"variable", t.is_variable}};
  if (with_quantization) {
    json["quantization"] = quantization_json(t.quantization);
  }
  return json;
}

ordered_json io_json(const Graph& graph, const std::vector<int32_t>& list) {
  ordered_json out = ordered_json::array();
  for (int32_t t : list) out.push_back(tensor_json(graph, t, true));
  return out;
}

ordered_json operand_list(const Graph& graph,
                          const std::vector<int32_t>& list) {
  ordered_json out = ordered_json::array();
  for (int32_t t : list) {
    out.push_back(t < 0 ? ordered_json(nullptr) : tensor_json(graph, t, false));
  }
  return out;
}

ordered_json inspect_json(const std::string& path, const Graph& graph) {
  ordered_json ops = ordered_json::array();
  for (size_t i = 0; i < graph.operators.size(); ++i) {
    const Operator& op = graph.operators[i];
    ops.push_back({{"index", i},
                   {"op", model::op_name(op.builtin_code)},
                   {"version", op.version},
                   {"inputs", operand_list(graph, op.inputs)},
                   {"outputs", operand_list(graph, op.outputs)},
                   {"params", op_params(op)},
                   {"macs", model::operator_macs(graph, op)}});
  }
  const model::MemorySummary m = model::summarize_memory(graph);
  ordered_json largest = nullptr;
  if (m.largest_activation >= 0) {
    largest = {{"tensor", m.largest_activation},
               {"name", graph.tensors[m.largest_activation].name},
               {"bytes", m.largest_activation_bytes}};
  }
  return {{"model", path},
          {"description", graph.description},
          {"num_tensors", graph.tensors.size()},
          {"num_operators", graph.operators.size()},
          {"inputs", io_json(graph, graph.inputs)},
          {"outputs", io_json(graph, graph.outputs)},
          {"operators", ops},
          {"totals",
           {{"macs", model::total_macs(graph)},
            {"weight_bytes", m.weight_bytes},
            {"weight_tensors", m.weight_tensors},
            {"activation_bytes", m.activation_bytes},
            {"activation_tensors", m.activation_tensors},
            {"largest_activation", largest},
            {"state_bytes", m.state_bytes},
            {"arena_estimate_bytes", m.arena_estimate_bytes},
            {"arena_estimate_peak_operator", m.arena_peak_operator},
            {"arena_estimate_note",
             "estimate: peak sum of live activations along the operator order "
             "plus state; no in-place reuse, alignment or scratch"}}}};
}

// Shapes of the data flowing through; with only_data, constants (weights,
// shape operands) and variable state are left out.
std::string shapes_text(const Graph& graph, const std::vector<int32_t>& list,
                        bool only_data) {
  std::string text;
  for (int32_t t : list) {
    if (t < 0) continue;
    const Tensor& tensor = graph.tensors[t];
    if (only_data && (tensor.is_constant() || tensor.is_variable)) continue;
    text +=
        (text.empty() ? "" : " ") + model::shape_string(graph.tensors[t].shape);
  }
  return text;
}

// The weight's shape, shown next to the parameters of operators that have
// one (filter or matrix, input 1).
std::string weights_text(const Graph& graph, const Operator& op) {
  if (op.inputs.size() < 2 || op.inputs[1] < 0) return "";
  const Tensor& w = graph.tensors[op.inputs[1]];
  if (!w.is_constant() || w.shape.size() < 2) return "";
  return "weights=" + model::shape_string(w.shape);
}

// Converter-made names can run to hundreds of characters; the table keeps
// their start (the JSON keeps them whole).
std::string clipped(const std::string& name, size_t width) {
  if (name.size() <= width) return name;
  return name.substr(0, width - 3) + "...";
}

void print_io(const char* title, const Graph& graph,
              const std::vector<int32_t>& list) {
  fmt::print("\n{}\n", title);
  fmt::print("  {:>3}  {:>6}  {:<28} {:<8} {:<20} {}\n", "#", "tensor", "name",
             "type", "shape", "quantization");
  for (size_t i = 0; i < list.size(); ++i) {
    const Tensor& t = graph.tensors[list[i]];
    fmt::print("  {:>3}  {:>6}  {:<28} {:<8} {:<20} {}\n", i, list[i],
               clipped(t.name, 28), model::type_name(t.type),
               model::shape_string(t.shape), quantization_text(t.quantization));
  }
}

void print_table(const std::string& path, const Graph& graph) {
  fmt::print("model: {}\n", path);
  if (!graph.description.empty()) {
    fmt::print("description: {}\n", graph.description);
  }
  fmt::print("{} tensors, {} operators\n", graph.tensors.size(),
             graph.operators.size());
  print_io("inputs", graph, graph.inputs);
  print_io("outputs", graph, graph.outputs);

  fmt::print("\noperators\n");
  fmt::print("  {:>3}  {:<28} {:<22} {:<20} {:>12}  {}\n", "#", "op", "input",
             "output", "MACs", "parameters");
  for (size_t i = 0; i < graph.operators.size(); ++i) {
    const Operator& op = graph.operators[i];
    std::string params = weights_text(graph, op);
    const std::string rest = params_text(op_params(op));
    if (!rest.empty()) params += (params.empty() ? "" : " ") + rest;
    fmt::print("  {:>3}  {:<28} {:<22} {:<20} {:>12}  {}\n", i,
               model::op_name(op.builtin_code),
               shapes_text(graph, op.inputs, true),
               shapes_text(graph, op.outputs, false),
               grouped(model::operator_macs(graph, op)), params);
  }

  const model::MemorySummary m = model::summarize_memory(graph);
  fmt::print("\ntotals\n");
  fmt::print("  MACs                  {:>14}\n",
             grouped(model::total_macs(graph)));
  fmt::print("  weights               {:>14} bytes in {} constant tensors\n",
             grouped(m.weight_bytes), m.weight_tensors);
  fmt::print("  activations           {:>14} bytes in {} tensors",
             grouped(m.activation_bytes), m.activation_tensors);
  if (m.largest_activation >= 0) {
    const std::string& name = graph.tensors[m.largest_activation].name;
    fmt::print(", largest {} bytes (tensor {}{}{})",
               grouped(m.largest_activation_bytes), m.largest_activation,
               name.empty() ? "" : " ", clipped(name, 40));
  }
  fmt::print("\n");
  if (m.state_tensors > 0) {
    fmt::print("  state                 {:>14} bytes in {} variable tensors\n",
               grouped(m.state_bytes), m.state_tensors);
  }
  fmt::print("  arena (estimate)      {:>14} bytes",
             grouped(m.arena_estimate_bytes));
  if (m.arena_peak_operator >= 0) {
    fmt::print(", peak at operator {}", m.arena_peak_operator);
  }
  fmt::print(
      "\n    estimate: largest sum of live activations along the operator "
      "order, plus state;\n    no in-place reuse, alignment or scratch "
      "(`tierml run --json` reports the planned arena)\n");
}

int run_inspect(const InspectOptions& options) {
  Expected<Graph> graph = model::read_model_file(options.model);
  if (!graph) return report_error(graph.status());
  if (options.json) {
    fmt::print("{}\n", inspect_json(options.model, *graph).dump(2));
  } else {
    print_table(options.model, *graph);
  }
  return kExitOk;
}

}  // namespace

void add_inspect_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* cmd = app.add_subcommand(
      "inspect",
      "show a model's inputs, outputs and operators with shapes, parameters "
      "and MACs, and its weight, activation and arena bytes");
  cmd->add_option("MODEL", options->model, ".tflite model file")->required();
  cmd->add_flag("--json", options->json, "print the report as JSON");
  cmd->callback([options, &exit_code] { exit_code = run_inspect(*options); });
}

}  // namespace tierml::cli
