#include "serve/infer_request.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace tierml::serve {
namespace {

using nlohmann::json;

// The server's own ceiling on a request's own deadline: one hour.
constexpr int64_t kMaxTimeoutUs = int64_t{3600} * 1000000;

Expected<json> parse_json(std::string_view text) {
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    return invalid_argument(std::string("malformed JSON: ") + e.what());
  }
}

const json* member(const json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

Expected<std::vector<int64_t>> parse_shape(const json& value,
                                           const std::string& where) {
  if (!value.is_array() || value.size() > TM_MAX_DIMS)
    return invalid_argument(where + ": 'shape' must be an array of at most " +
                            std::to_string(TM_MAX_DIMS) + " integers");
  std::vector<int64_t> shape;
  for (const json& dim : value) {
    if (!dim.is_number_unsigned())
      return invalid_argument(where +
                              ": 'shape' must hold non-negative integers");
    shape.push_back(static_cast<int64_t>(
        std::min<uint64_t>(dim.get<uint64_t>(), INT64_MAX)));
  }
  return shape;
}

// parameters.<key> as a bool; false when absent.
Expected<bool> bool_parameter(const json& object, const char* key,
                              const std::string& where) {
  const json* parameters = member(object, "parameters");
  if (!parameters) return false;
  if (!parameters->is_object())
    return invalid_argument(where + ": 'parameters' must be an object");
  const json* value = member(*parameters, key);
  if (!value) return false;
  if (!value->is_boolean())
    return invalid_argument(where + ": parameters." + key +
                            " must be true or false");
  return value->get<bool>();
}

int find_tensor(const std::vector<TensorSpec>& specs, const std::string& name) {
  for (size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::string names_of(const std::vector<TensorSpec>& specs) {
  std::string text;
  for (const TensorSpec& spec : specs) {
    text += (text.empty() ? "'" : ", '") + spec.name + "'";
  }
  return text;
}

json tensor_header(const TensorSpec& spec) {
  return {{"name", spec.name},
          {"datatype", std::string(datatype_name(spec.type))},
          {"shape", spec.shape}};
}

}  // namespace

Expected<InferRequest> parse_infer_request(
    const std::vector<TensorSpec>& inputs,
    const std::vector<TensorSpec>& outputs, std::string_view body,
    std::optional<size_t> header_length) {
  if (header_length && *header_length > body.size()) {
    return invalid_argument(
        "Inference-Header-Content-Length " + std::to_string(*header_length) +
        " exceeds the body's " + std::to_string(body.size()) + " bytes");
  }
  const size_t json_length = header_length.value_or(body.size());
  auto parsed = parse_json(body.substr(0, json_length));
  if (!parsed) return parsed.status();
  const json& root = *parsed;
  if (!root.is_object())
    return invalid_argument("the request must be a JSON object");
  std::string_view binary = body.substr(json_length);

  InferRequest request;
  if (const json* id = member(root, "id")) {
    if (!id->is_string()) return invalid_argument("'id' must be a string");
    request.id = id->get<std::string>();
  }
  bool all_binary = false;
  if (const json* parameters = member(root, "parameters")) {
    if (!parameters->is_object())
      return invalid_argument("'parameters' must be an object");
    if (const json* timeout = member(*parameters, "timeout")) {
      if (!timeout->is_number_unsigned() || timeout->get<uint64_t>() == 0)
        return invalid_argument(
            "parameters.timeout must be a positive integer (microseconds)");
      request.timeout_us = static_cast<int64_t>(
          std::min<uint64_t>(timeout->get<uint64_t>(), kMaxTimeoutUs));
    }
    auto flag = bool_parameter(root, "binary_data_output", "request");
    if (!flag) return flag.status();
    all_binary = *flag;
  }

  const json* tensors = member(root, "inputs");
  if (!tensors || !tensors->is_array())
    return invalid_argument("'inputs' must be an array of tensors");
  request.inputs.resize(inputs.size());
  std::vector<bool> seen(inputs.size(), false);
  size_t binary_offset = 0;
  for (const json& tensor : *tensors) {
    if (!tensor.is_object())
      return invalid_argument("each entry of 'inputs' must be an object");
    const json* name = member(tensor, "name");
    if (!name || !name->is_string())
      return invalid_argument("an input has no 'name' string");
    const std::string where = "input '" + name->get<std::string>() + "'";
    const int index = find_tensor(inputs, name->get<std::string>());
    if (index < 0) {
      return invalid_argument(where + " is not an input of the model (it has " +
                              names_of(inputs) + ")");
    }
    if (seen[index]) return invalid_argument(where + " is given twice");
    seen[index] = true;
    const json* datatype = member(tensor, "datatype");
    if (!datatype || !datatype->is_string())
      return invalid_argument(where + ": 'datatype' must be a string");
    const json* shape_json = member(tensor, "shape");
    if (!shape_json) return invalid_argument(where + ": 'shape' is missing");
    auto shape = parse_shape(*shape_json, where);
    if (!shape) return shape.status();

    std::optional<size_t> binary_size;
    if (const json* parameters = member(tensor, "parameters")) {
      if (!parameters->is_object())
        return invalid_argument(where + ": 'parameters' must be an object");
      if (const json* size = member(*parameters, "binary_data_size")) {
        if (!size->is_number_unsigned())
          return invalid_argument(
              where + ": binary_data_size must be a non-negative integer");
        binary_size = size->get<uint64_t>();
      }
    }
    const json* data = member(tensor, "data");
    if (binary_size && data)
      return invalid_argument(where + " has both 'data' and binary_data_size");
    Expected<std::vector<uint8_t>> bytes = std::vector<uint8_t>();
    if (binary_size) {
      if (*binary_size > binary.size() - binary_offset) {
        return invalid_argument(where + ": binary_data_size " +
                                std::to_string(*binary_size) +
                                " runs past the end of the body");
      }
      const auto* start =
          reinterpret_cast<const uint8_t*>(binary.data()) + binary_offset;
      bytes = input_from_binary(inputs[index], datatype->get<std::string>(),
                                *shape, {start, *binary_size});
      binary_offset += *binary_size;
    } else {
      if (!data)
        return invalid_argument(where +
                                " has neither 'data' nor binary_data_size");
      bytes = input_from_json(inputs[index], datatype->get<std::string>(),
                              *shape, *data);
    }
    if (!bytes) return bytes.status();
    request.inputs[index] = std::move(*bytes);
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!seen[i])
      return invalid_argument("input '" + inputs[i].name + "' is missing");
  }
  if (binary_offset != binary.size()) {
    return invalid_argument(
        std::to_string(binary.size() - binary_offset) +
        " bytes of binary data after the JSON header belong to no input");
  }

  if (const json* wanted = member(root, "outputs")) {
    if (!wanted->is_array())
      return invalid_argument("'outputs' must be an array");
    for (const json& tensor : *wanted) {
      if (!tensor.is_object() || !member(tensor, "name") ||
          !tensor["name"].is_string())
        return invalid_argument("each entry of 'outputs' needs a 'name'");
      const std::string name = tensor["name"].get<std::string>();
      const int index = find_tensor(outputs, name);
      if (index < 0) {
        return invalid_argument("output '" + name +
                                "' is not an output of the model (it has " +
                                names_of(outputs) + ")");
      }
      if (std::find(request.outputs.begin(), request.outputs.end(), index) !=
          request.outputs.end())
        return invalid_argument("output '" + name + "' is requested twice");
      auto flag =
          bool_parameter(tensor, "binary_data", "output '" + name + "'");
      if (!flag) return flag.status();
      request.outputs.push_back(index);
      request.binary.push_back(*flag || all_binary);
    }
  } else {
    for (size_t i = 0; i < outputs.size(); ++i) {
      request.outputs.push_back(static_cast<int>(i));
      request.binary.push_back(all_binary);
    }
  }
  return request;
}

InferResponse encode_infer_response(
    const std::string& model, int64_t version, const InferRequest& request,
    const std::vector<TensorSpec>& outputs,
    const std::vector<std::vector<uint8_t>>& values) {
  json root;
  root["model_name"] = model;
  root["model_version"] = std::to_string(version);
  if (request.id) root["id"] = *request.id;
  json tensors = json::array();
  std::string binary;
  for (size_t i = 0; i < request.outputs.size(); ++i) {
    const int index = request.outputs[i];
    const TensorSpec& spec = outputs[index];
    const std::vector<uint8_t>& bytes = values[index];
    json tensor = tensor_header(spec);
    if (request.binary[i]) {
      tensor["parameters"] = {{"binary_data_size", bytes.size()}};
      binary.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    } else {
      tensor["data"] = output_data_json(spec, bytes);
    }
    tensors.push_back(std::move(tensor));
  }
  root["outputs"] = std::move(tensors);
  InferResponse response;
  response.body = root.dump(-1, ' ', false, json::error_handler_t::replace);
  if (std::find(request.binary.begin(), request.binary.end(), true) !=
      request.binary.end()) {
    response.header_length = response.body.size();
    response.body += binary;
  }
  return response;
}

Expected<std::vector<uint8_t>> parse_predict_request(const TensorSpec& input,
                                                     std::string_view body) {
  auto parsed = parse_json(body);
  if (!parsed) return parsed.status();
  if (!parsed->is_object() || !member(*parsed, "x"))
    return invalid_argument("expected {\"x\": [numbers]}");
  const json& x = (*parsed)["x"];
  if (!x.is_array() || x.size() != input.elements) {
    return invalid_argument("'x' must be an array of " +
                            std::to_string(input.elements) + " numbers");
  }
  for (const json& value : x) {
    if (!value.is_number())
      return invalid_argument("'x' must hold numbers only");
  }
  const std::string_view datatype = input.type == kTmFloat32 || input.quantized
                                        ? "FP32"
                                        : datatype_name(input.type);
  return input_from_json(input, datatype, input.shape, x);
}

std::string encode_predict_response(const TensorSpec& output,
                                    const std::vector<uint8_t>& value) {
  std::vector<float> proba = output_as_float(output, value);
  int pred = 0;
  if (proba.size() == 1) {
    const float p = proba[0];
    proba = {1.0f - p, p};
    pred = p > 0.5f ? 1 : 0;
  } else if (!proba.empty()) {
    pred = static_cast<int>(std::max_element(proba.begin(), proba.end()) -
                            proba.begin());
  }
  json root;
  root["pred"] = pred;
  root["proba"] = proba;
  return root.dump();
}

}  // namespace tierml::serve
