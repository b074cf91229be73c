// tierml export-dense SPEC.json OUT.tflite
//
// Writes a float .tflite of dense layers from a JSON description, for
// exporters written in other languages (tools/export/sklearn_to_tflite.py):
//   {"input": {"name": "x", "size": 16},
//    "layers": [{"weights": [[...], ...],   // [outputs][inputs]
//                "bias": [...], "activation": "none" | "relu"}],
//    "output": {"name": "proba", "activation": "softmax" | "logistic" |
//    "none"}}
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "commands.h"
#include "model/graph_builder.h"
#include "model/writer.h"

namespace tierml::cli {
namespace {

using nlohmann::json;

Expected<model::Graph> dense_graph(const json& spec) {
  using namespace tierml::model;
  if (!spec.is_object() || !spec.contains("input") ||
      !spec.contains("layers") || !spec["layers"].is_array() ||
      spec["layers"].empty())
    return invalid_argument("spec needs 'input' and a non-empty 'layers'");
  const json& input = spec["input"];
  if (!input.is_object() || !input.value("size", json()).is_number_unsigned() ||
      input["size"].get<int64_t>() <= 0)
    return invalid_argument("input.size must be a positive integer");
  GraphBuilder b;
  int32_t width = static_cast<int32_t>(input["size"].get<int64_t>());
  int32_t tensor = b.add_input(input.value("name", std::string("x")),
                               kTmFloat32, {1, width});
  int index = 0;
  for (const json& layer : spec["layers"]) {
    const std::string where = "layer " + std::to_string(index);
    if (!layer.is_object() || !layer.contains("weights") ||
        !layer["weights"].is_array() || layer["weights"].empty())
      return invalid_argument(where + ": 'weights' must be a non-empty array");
    const json& rows = layer["weights"];
    const int32_t outputs = static_cast<int32_t>(rows.size());
    std::vector<float> weights, bias;
    for (const json& row : rows) {
      if (!row.is_array() || static_cast<int32_t>(row.size()) != width)
        return invalid_argument(where + ": every weight row needs " +
                                std::to_string(width) + " numbers");
      for (const json& w : row) {
        if (!w.is_number())
          return invalid_argument(where + ": weights must be numbers");
        weights.push_back(w.get<float>());
      }
    }
    const json bias_json = layer.value("bias", json::array());
    if (!bias_json.is_array() ||
        static_cast<int32_t>(bias_json.size()) != outputs)
      return invalid_argument(where + ": 'bias' needs " +
                              std::to_string(outputs) + " numbers");
    for (const json& v : bias_json) {
      if (!v.is_number())
        return invalid_argument(where + ": bias must be numbers");
      bias.push_back(v.get<float>());
    }
    const std::string activation = layer.value("activation", "none");
    if (activation != "none" && activation != "relu")
      return invalid_argument(where + ": activation must be none or relu");
    const std::string name = "dense" + std::to_string(index);
    const int32_t w = b.add_constant(name + "/weights", kTmFloat32,
                                     {outputs, width}, to_bytes(weights));
    const int32_t bt =
        b.add_constant(name + "/bias", kTmFloat32, {outputs}, to_bytes(bias));
    const int32_t out = b.add_tensor(name, kTmFloat32, {1, outputs});
    b.add_op(
        fully_connected_attrs(activation == "relu" ? kTmActRelu : kTmActNone),
        {tensor, w, bt}, {out});
    tensor = out;
    width = outputs;
    ++index;
  }
  const json output = spec.value("output", json::object());
  const std::string activation = output.value("activation", "none");
  const std::string name = output.value("name", std::string("output"));
  if (activation == "softmax" || activation == "logistic") {
    const int32_t out = b.add_tensor(name, kTmFloat32, {1, width});
    b.add_op(
        activation == "softmax" ? softmax_attrs(1.0f) : attrs_of(kTmOpLogistic),
        {tensor}, {out});
    tensor = out;
  } else if (activation != "none") {
    return invalid_argument(
        "output.activation must be softmax, logistic or none");
  }
  b.mark_output(tensor);
  if (spec.contains("description") && spec["description"].is_string())
    b.set_description(spec["description"].get<std::string>());
  return std::move(b).build();
}

int export_dense(const std::string& spec_path, const std::string& out_path) {
  std::ifstream file(spec_path);
  if (!file) return report_error(io_error("cannot open " + spec_path));
  json spec;
  try {
    spec = json::parse(file);
  } catch (const json::exception& e) {
    return report_error(invalid_argument(spec_path + ": " + e.what()));
  }
  auto graph = dense_graph(spec);
  if (!graph) return report_error(graph.status());
  auto bytes = model::write_model(*graph);
  if (!bytes) return report_error(bytes.status());
  std::ofstream out(out_path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes->data()),
            static_cast<std::streamsize>(bytes->size()));
  if (!out) return report_error(io_error("cannot write " + out_path));
  return kExitOk;
}

}  // namespace

void add_export_dense_command(CLI::App& app, int& exit_code) {
  struct Options {
    std::string spec, out;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "export-dense",
      "Write a float .tflite of dense layers (FULLY_CONNECTED + optional "
      "SOFTMAX/LOGISTIC) from a JSON spec, for exporters such as "
      "tools/export/sklearn_to_tflite.py");
  cmd->add_option("SPEC", options->spec, "JSON description of the layers")
      ->required();
  cmd->add_option("OUT", options->out, "the .tflite to write")->required();
  cmd->callback([options, &exit_code] {
    exit_code = export_dense(options->spec, options->out);
  });
}

}  // namespace tierml::cli
