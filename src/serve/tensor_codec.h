// Tensors between the Open Inference Protocol (KServe v2) and a model's
// bytes: datatype names, JSON `data` (flat or nested), the binary tensor
// extension's raw little-endian bytes, and FP32 data for quantized inputs.
#ifndef TIERML_SERVE_TENSOR_CODEC_H_
#define TIERML_SERVE_TENSOR_CODEC_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "tierml/tensor.h"

namespace tierml::serve {

// What the server knows about one model input or output.
struct TensorSpec {
  std::string name;
  TmType type = kTmFloat32;
  std::vector<int64_t> shape;
  size_t elements = 0;
  size_t bytes = 0;
  // Per-tensor affine quantization (the only kind a model's inputs and
  // outputs may carry for FP32 data to be accepted or /predict to work).
  bool quantized = false;
  float scale = 0;
  int32_t zero_point = 0;
};

TensorSpec spec_of(const TmTensor& tensor, std::string name);

// The protocol's name of a type ("FP32", "INT8"); "" for types it lacks.
std::string_view datatype_name(TmType type);
std::optional<TmType> datatype_from_name(std::string_view name);

// The bytes one input tensor of the request holds, converted to the model's
// type. `datatype` must be the model's or, for a quantized INT8/INT16 input,
// FP32 (quantized with the input's scale and zero point by the QUANTIZE
// kernel's arithmetic). `shape` must equal the model's. invalid_argument
// with a message naming the input otherwise.
Expected<std::vector<uint8_t>> input_from_json(
    const TensorSpec& spec, std::string_view datatype,
    const std::vector<int64_t>& shape, const nlohmann::json& data);
Expected<std::vector<uint8_t>> input_from_binary(
    const TensorSpec& spec, std::string_view datatype,
    const std::vector<int64_t>& shape, std::span<const uint8_t> raw);

// `data` of an output as a flat JSON array of the model's type.
nlohmann::json output_data_json(const TensorSpec& spec,
                                std::span<const uint8_t> bytes);
// An output's values as real numbers (dequantized when quantized).
std::vector<float> output_as_float(const TensorSpec& spec,
                                   std::span<const uint8_t> bytes);

}  // namespace tierml::serve

#endif  // TIERML_SERVE_TENSOR_CODEC_H_
