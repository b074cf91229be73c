#include "serve/tensor_codec.h"

#include <array>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "kernels/quantize.h"

namespace tierml::serve {
namespace {

using nlohmann::json;

struct NamedType {
  TmType type;
  std::string_view name;
};
// The protocol's tensor data types that a .tflite tensor can have.
constexpr std::array<NamedType, 11> kDatatypes = {{
    {kTmBool, "BOOL"},
    {kTmUInt8, "UINT8"},
    {kTmUInt16, "UINT16"},
    {kTmUInt32, "UINT32"},
    {kTmUInt64, "UINT64"},
    {kTmInt8, "INT8"},
    {kTmInt16, "INT16"},
    {kTmInt32, "INT32"},
    {kTmInt64, "INT64"},
    {kTmFloat32, "FP32"},
    {kTmFloat64, "FP64"},
}};

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    text += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return text + "]";
}

Status input_error(const TensorSpec& spec, const std::string& message) {
  return invalid_argument("input '" + spec.name + "': " + message);
}

// Collects the leaves of `data` (a flat or nested array) in row-major order.
// Nesting deeper than a tensor can have is refused rather than followed.
bool flatten(const json& data, int depth, std::vector<const json*>& leaves) {
  if (!data.is_array()) {
    leaves.push_back(&data);
    return true;
  }
  if (depth > TM_MAX_DIMS) return false;
  for (const json& item : data) {
    if (!flatten(item, depth + 1, leaves)) return false;
  }
  return true;
}

// One JSON number (or boolean) as a C value of type T; false when the value
// has the wrong kind or does not fit.
template <typename T>
bool read_element(const json& value, T& out) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!value.is_boolean()) return false;
    out = value.get<bool>();
    return true;
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!value.is_number()) return false;
    const double v = value.get<double>();
    if (std::is_same_v<T, float> && std::fabs(v) > FLT_MAX) return false;
    out = static_cast<T>(v);
    return true;
  } else if constexpr (std::is_signed_v<T>) {
    if (value.is_number_unsigned()) {
      const uint64_t v = value.get<uint64_t>();
      if (v > static_cast<uint64_t>(std::numeric_limits<T>::max()))
        return false;
      out = static_cast<T>(v);
      return true;
    }
    if (!value.is_number_integer()) return false;
    const int64_t v = value.get<int64_t>();
    if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max())
      return false;
    out = static_cast<T>(v);
    return true;
  } else {
    if (!value.is_number_unsigned()) {
      // nlohmann stores non-negative integers as unsigned; a negative one
      // or a float cannot fill an unsigned tensor.
      return false;
    }
    const uint64_t v = value.get<uint64_t>();
    if (v > std::numeric_limits<T>::max()) return false;
    out = static_cast<T>(v);
    return true;
  }
}

template <typename T>
Status read_elements(const TensorSpec& spec, std::string_view datatype,
                     const std::vector<const json*>& leaves, uint8_t* out) {
  for (size_t i = 0; i < leaves.size(); ++i) {
    T value{};
    if (!read_element(*leaves[i], value)) {
      return input_error(spec, "element " + std::to_string(i) + " (" +
                                   leaves[i]->dump() + ") is not a valid " +
                                   std::string(datatype) + " value");
    }
    std::memcpy(out + i * sizeof(T), &value, sizeof(T));
  }
  return Status::ok();
}

Status read_json(const TensorSpec& spec, TmType type, std::string_view datatype,
                 const std::vector<const json*>& leaves, uint8_t* out) {
  switch (type) {
    case kTmBool:
      return read_elements<bool>(spec, datatype, leaves, out);
    case kTmUInt8:
      return read_elements<uint8_t>(spec, datatype, leaves, out);
    case kTmUInt16:
      return read_elements<uint16_t>(spec, datatype, leaves, out);
    case kTmUInt32:
      return read_elements<uint32_t>(spec, datatype, leaves, out);
    case kTmUInt64:
      return read_elements<uint64_t>(spec, datatype, leaves, out);
    case kTmInt8:
      return read_elements<int8_t>(spec, datatype, leaves, out);
    case kTmInt16:
      return read_elements<int16_t>(spec, datatype, leaves, out);
    case kTmInt32:
      return read_elements<int32_t>(spec, datatype, leaves, out);
    case kTmInt64:
      return read_elements<int64_t>(spec, datatype, leaves, out);
    case kTmFloat32:
      return read_elements<float>(spec, datatype, leaves, out);
    case kTmFloat64:
      return read_elements<double>(spec, datatype, leaves, out);
    default:
      return input_error(
          spec, "datatype " + std::string(datatype) + " is not supported");
  }
}

// How the request's datatype maps onto the model's input: the same type, or
// FP32 values to quantize. Checks the shape too.
struct Plan {
  TmType request_type;
  bool quantize;
};
Expected<Plan> plan_input(const TensorSpec& spec, std::string_view datatype,
                          const std::vector<int64_t>& shape) {
  const std::optional<TmType> type = datatype_from_name(datatype);
  if (!type) {
    return input_error(spec,
                       "unknown datatype '" + std::string(datatype) + "'");
  }
  const bool can_quantize = spec.quantized && *type == kTmFloat32 &&
                            (spec.type == kTmInt8 || spec.type == kTmInt16);
  if (*type != spec.type && !can_quantize) {
    std::string expected(datatype_name(spec.type));
    if (spec.quantized && (spec.type == kTmInt8 || spec.type == kTmInt16))
      expected += " (or FP32, quantized by the server)";
    return input_error(spec, "datatype " + std::string(datatype) +
                                 " does not match the model's " + expected);
  }
  if (shape != spec.shape) {
    return input_error(spec, "shape " + shape_text(shape) +
                                 " does not match the model's " +
                                 shape_text(spec.shape));
  }
  return Plan{*type, can_quantize};
}

// FP32 values quantized into the model's input type with its scale and
// zero point, through the QUANTIZE kernel (one arithmetic for every path).
std::vector<uint8_t> quantize(const TensorSpec& spec, const float* values) {
  TmTensor in{};
  in.type = kTmFloat32;
  in.shape.rank = 1;
  in.shape.dims[0] = static_cast<int32_t>(spec.elements);
  TmTensor out = in;
  out.type = spec.type;
  out.quant.count = 1;
  out.quant.scales = &spec.scale;
  out.quant.zero_point = spec.zero_point;
  TmQuantizeParams params;
  std::vector<uint8_t> bytes(spec.bytes);
  // prepare cannot fail here: plan_input admitted only INT8/INT16 outputs
  // with one scale and matching element counts.
  if (tm_quantize_prepare(&in, &out, &params) == kTmOk)
    tm_quantize_f32(&params, values, bytes.data());
  return bytes;
}

template <typename T>
json values_json(std::span<const uint8_t> bytes) {
  json data = json::array();
  const size_t n = bytes.size() / sizeof(T);
  data.get_ref<json::array_t&>().reserve(n);
  for (size_t i = 0; i < n; ++i) {
    T value;
    std::memcpy(&value, bytes.data() + i * sizeof(T), sizeof(T));
    data.push_back(value);
  }
  return data;
}

template <typename T>
void append_float(std::span<const uint8_t> bytes, const TensorSpec& spec,
                  std::vector<float>& out) {
  const size_t n = bytes.size() / sizeof(T);
  for (size_t i = 0; i < n; ++i) {
    T value;
    std::memcpy(&value, bytes.data() + i * sizeof(T), sizeof(T));
    out.push_back(spec.quantized ? spec.scale * (static_cast<float>(value) -
                                                 spec.zero_point)
                                 : static_cast<float>(value));
  }
}

}  // namespace

TensorSpec spec_of(const TmTensor& tensor, std::string name) {
  TensorSpec spec;
  spec.name = std::move(name);
  spec.type = tensor.type;
  spec.shape.assign(tensor.shape.dims, tensor.shape.dims + tensor.shape.rank);
  spec.elements = static_cast<size_t>(tm_shape_elements(&tensor.shape));
  spec.bytes = tensor.bytes;
  if (tensor.quant.count == 1) {
    spec.quantized = true;
    spec.scale = tensor.quant.scales[0];
    spec.zero_point = tensor.quant.zero_point;
  }
  return spec;
}

std::string_view datatype_name(TmType type) {
  for (const NamedType& t : kDatatypes) {
    if (t.type == type) return t.name;
  }
  return "";
}

std::optional<TmType> datatype_from_name(std::string_view name) {
  for (const NamedType& t : kDatatypes) {
    if (t.name == name) return t.type;
  }
  return std::nullopt;
}

Expected<std::vector<uint8_t>> input_from_json(
    const TensorSpec& spec, std::string_view datatype,
    const std::vector<int64_t>& shape, const json& data) {
  auto plan = plan_input(spec, datatype, shape);
  if (!plan) return plan.status();
  if (!data.is_array()) return input_error(spec, "'data' must be an array");
  std::vector<const json*> leaves;
  leaves.reserve(spec.elements);
  if (!flatten(data, 0, leaves))
    return input_error(spec, "'data' is nested deeper than any tensor");
  if (leaves.size() != spec.elements) {
    return input_error(spec, "'data' holds " + std::to_string(leaves.size()) +
                                 " elements, shape " + shape_text(shape) +
                                 " needs " + std::to_string(spec.elements));
  }
  if (!plan->quantize) {
    std::vector<uint8_t> bytes(spec.bytes);
    Status status = read_json(spec, spec.type, datatype, leaves, bytes.data());
    if (!status.is_ok()) return status;
    return bytes;
  }
  std::vector<float> values(spec.elements);
  Status status = read_json(spec, kTmFloat32, datatype, leaves,
                            reinterpret_cast<uint8_t*>(values.data()));
  if (!status.is_ok()) return status;
  return quantize(spec, values.data());
}

Expected<std::vector<uint8_t>> input_from_binary(
    const TensorSpec& spec, std::string_view datatype,
    const std::vector<int64_t>& shape, std::span<const uint8_t> raw) {
  auto plan = plan_input(spec, datatype, shape);
  if (!plan) return plan.status();
  const size_t expected = spec.elements * tm_type_size(plan->request_type);
  if (raw.size() != expected) {
    return input_error(spec, "binary data holds " + std::to_string(raw.size()) +
                                 " bytes, " + std::string(datatype) + " " +
                                 shape_text(shape) + " needs " +
                                 std::to_string(expected));
  }
  if (plan->quantize) {
    std::vector<float> values(spec.elements);
    std::memcpy(values.data(), raw.data(), raw.size());
    return quantize(spec, values.data());
  }
  if (spec.type == kTmBool) {
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] > 1) {
        return input_error(spec, "binary BOOL element " + std::to_string(i) +
                                     " is neither 0 nor 1");
      }
    }
  }
  return std::vector<uint8_t>(raw.begin(), raw.end());
}

json output_data_json(const TensorSpec& spec, std::span<const uint8_t> bytes) {
  switch (spec.type) {
    case kTmBool:
      return values_json<bool>(bytes);
    case kTmUInt8:
      return values_json<uint8_t>(bytes);
    case kTmUInt16:
      return values_json<uint16_t>(bytes);
    case kTmUInt32:
      return values_json<uint32_t>(bytes);
    case kTmUInt64:
      return values_json<uint64_t>(bytes);
    case kTmInt8:
      return values_json<int8_t>(bytes);
    case kTmInt16:
      return values_json<int16_t>(bytes);
    case kTmInt32:
      return values_json<int32_t>(bytes);
    case kTmInt64:
      return values_json<int64_t>(bytes);
    case kTmFloat32:
      return values_json<float>(bytes);
    case kTmFloat64:
      return values_json<double>(bytes);
    default:
      return json::array();
  }
}

std::vector<float> output_as_float(const TensorSpec& spec,
                                   std::span<const uint8_t> bytes) {
  std::vector<float> out;
  switch (spec.type) {
    case kTmInt8:
      append_float<int8_t>(bytes, spec, out);
      break;
    case kTmUInt8:
      append_float<uint8_t>(bytes, spec, out);
      break;
    case kTmInt16:
      append_float<int16_t>(bytes, spec, out);
      break;
    case kTmInt32:
      append_float<int32_t>(bytes, spec, out);
      break;
    case kTmFloat32:
      append_float<float>(bytes, spec, out);
      break;
    default:
      break;
  }
  return out;
}

}  // namespace tierml::serve
