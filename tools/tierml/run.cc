// tierml run MODEL --input FILE [--input FILE ...] --output FILE [--json]
//
// Runs a model once on the host through the device interpreter. Inputs are
// raw little-endian bytes (one file per input in model order, or one file
// holding all inputs back to back) or .npy files (one per input, dtype and
// shape checked). Outputs are written as raw bytes (all outputs back to back)
// or, with a .npy name, one .npy per --output.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "io/file.h"
#include "io/npy.h"
#include "runtime_host/host_interpreter.h"

namespace tierml::cli {
namespace {

struct RunOptions {
  std::string model;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  bool json = false;
};

bool is_npy(const std::string& path) {
  return std::filesystem::path(path).extension() == ".npy";
}

std::vector<int64_t> shape_of(const TmTensor& tensor) {
  return std::vector<int64_t>(tensor.shape.dims,
                              tensor.shape.dims + tensor.shape.rank);
}

std::string describe(TmType type, const std::vector<int64_t>& shape) {
  std::string text = std::string(tm_type_name(type)) + " [";
  for (size_t i = 0; i < shape.size(); ++i) {
    text += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return text + "]";
}

// The bytes for input i from one file, checked against the tensor.
Expected<std::vector<uint8_t>> input_bytes(const std::string& path, int i,
                                           const TmTensor& tensor) {
  auto file = io::read_file(path);
  if (!file) return file.status();
  if (!is_npy(path)) {
    if (file->size() != tensor.bytes) {
      return invalid_argument("input " + std::to_string(i) + " (" + path +
                              "): expected " + std::to_string(tensor.bytes) +
                              " bytes for " +
                              describe(tensor.type, shape_of(tensor)) +
                              ", got " + std::to_string(file->size()));
    }
    return file;
  }
  auto array = io::parse_npy(*file);
  if (!array) {
    return invalid_argument("input " + std::to_string(i) + " (" + path +
                            "): " + array.status().message());
  }
  if (array->type != tensor.type || array->shape != shape_of(tensor)) {
    return invalid_argument("input " + std::to_string(i) + " (" + path +
                            "): expected " +
                            describe(tensor.type, shape_of(tensor)) + ", got " +
                            describe(array->type, array->shape));
  }
  return std::move(array->data);
}

Status set_inputs(HostInterpreter& host, const RunOptions& options) {
  const int n = host.num_inputs();
  const int files = static_cast<int>(options.inputs.size());
  if (files == 1 && n > 1 && !is_npy(options.inputs[0])) {
    auto bytes = io::read_file(options.inputs[0]);
    if (!bytes) return bytes.status();
    return host.set_inputs(*bytes);
  }
  if (files != n) {
    return invalid_argument(
        "the model has " + std::to_string(n) + " inputs, got " +
        std::to_string(files) +
        " --input files (give one per input, or one raw file holding all)");
  }
  for (int i = 0; i < n; ++i) {
    auto bytes = input_bytes(options.inputs[i], i, host.input(i));
    if (!bytes) return bytes.status();
    Status status = host.set_input(i, *bytes);
    if (!status.is_ok()) return status;
  }
  return Status::ok();
}

Status write_outputs(HostInterpreter& host, const RunOptions& options) {
  const int n = host.num_outputs();
  const int files = static_cast<int>(options.outputs.size());
  const bool npy = is_npy(options.outputs[0]);
  if (!npy && files == 1)
    return write_bytes(options.outputs[0], host.outputs());
  if (files != n) {
    return invalid_argument(
        "the model has " + std::to_string(n) + " outputs, got " +
        std::to_string(files) +
        " --output files (give one per output, or one raw file for all)");
  }
  for (int i = 0; i < n; ++i) {
    std::span<const uint8_t> bytes = host.output_bytes(i);
    std::vector<uint8_t> contents(bytes.begin(), bytes.end());
    if (is_npy(options.outputs[i])) {
      io::NpyArray array;
      array.type = host.output(i).type;
      array.shape = shape_of(host.output(i));
      array.data = std::move(contents);
      auto encoded = io::encode_npy(array);
      if (!encoded) return encoded.status();
      contents = std::move(*encoded);
    }
    Status status = write_bytes(options.outputs[i], contents);
    if (!status.is_ok()) return status;
  }
  return Status::ok();
}

nlohmann::json tensor_json(HostInterpreter& host, const TmTensor& tensor,
                           int32_t index) {
  const TensorView view = host.interpreter().model().tensor(index);
  nlohmann::json j;
  j["name"] = std::string(view.name ? view.name : "", view.name_length);
  j["dtype"] = tm_type_name(tensor.type);
  j["shape"] = shape_of(tensor);
  j["bytes"] = tensor.bytes;
  if (tensor.quant.count == 1) {
    j["scale"] = tensor.quant.scales[0];
    j["zero_point"] = tensor.quant.zero_point;
  }
  return j;
}

int run(const RunOptions& options) {
  auto host = HostInterpreter::load_file(options.model);
  if (!host) return report_error(host.status());
  Status status = set_inputs(**host, options);
  if (!status.is_ok()) return report_error(status);
  const auto start = std::chrono::steady_clock::now();
  status = (*host)->invoke();
  const auto end = std::chrono::steady_clock::now();
  // A model that verified but cannot run is the model's fault (exit 3).
  if (!status.is_ok()) return report_error(unsupported(status.message()));
  status = write_outputs(**host, options);
  if (!status.is_ok()) return report_error(status);
  if (options.json) {
    Interpreter& it = (*host)->interpreter();
    nlohmann::json j;
    j["model"] = options.model;
    j["inputs"] = nlohmann::json::array();
    for (int i = 0; i < it.num_inputs(); ++i) {
      j["inputs"].push_back(
          tensor_json(**host, *it.input(i), it.model().inputs()[i]));
    }
    j["outputs"] = nlohmann::json::array();
    for (int i = 0; i < it.num_outputs(); ++i) {
      j["outputs"].push_back(
          tensor_json(**host, *it.output(i), it.model().outputs()[i]));
    }
    j["arena_bytes"] = it.arena_bytes_needed();
    j["arena_persistent_bytes"] = it.persistent_bytes();
    j["arena_planned_bytes"] = it.planned_bytes();
    // The host arena holds weight copies packed for this CPU's kernels; a
    // device's interpreter has none, and sizing one is what this figure is
    // read for.
    InterpreterOptions unpacked;
    unpacked.pack_weights = false;
    auto device = HostInterpreter::load_file(options.model, unpacked);
    if (!device) return report_error(device.status());
    j["device_arena_bytes"] = (*device)->interpreter().arena_bytes_needed();
    j["invoke_us"] =
        std::chrono::duration<double, std::micro>(end - start).count();
    std::printf("%s\n", j.dump(2).c_str());
  }
  return kExitOk;
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Run a model once with the device interpreter on this host");
  cmd->add_option("model", options->model, ".tflite model file")->required();
  cmd->add_option("--input", options->inputs,
                  "input file: raw little-endian bytes or .npy; one per input "
                  "in model order, or one raw file holding all inputs")
      ->required();
  cmd->add_option("--output", options->outputs,
                  "output file: raw bytes of all outputs back to back, or "
                  ".npy (one --output per output)")
      ->required();
  cmd->add_flag("--json", options->json,
                "print shapes, dtypes, arena bytes and invoke time as JSON");
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace tierml::cli
