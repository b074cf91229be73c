// The body of an Open Inference Protocol infer request and response, apart
// from HTTP so it can be tested alone. A request is JSON, or with the binary
// tensor extension a JSON header of Inference-Header-Content-Length bytes
// followed by the inputs' raw bytes (each input's
// parameters.binary_data_size, in the order the inputs are listed).
#ifndef TIERML_SERVE_INFER_REQUEST_H_
#define TIERML_SERVE_INFER_REQUEST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "serve/tensor_codec.h"

namespace tierml::serve {

struct InferRequest {
  std::optional<std::string> id;
  // One entry per model input, in model order, in the model's types.
  std::vector<std::vector<uint8_t>> inputs;
  // Model output indices to return, in the order to return them.
  std::vector<int> outputs;
  // Per entry of `outputs`: send as binary data after the JSON header.
  std::vector<bool> binary;
  std::optional<int64_t> timeout_us;  // parameters.timeout
};

// invalid_argument with a precise message for anything malformed: bad JSON,
// missing or unknown tensors, wrong datatypes, shapes or sizes.
// header_length: the Inference-Header-Content-Length value, if sent.
Expected<InferRequest> parse_infer_request(
    const std::vector<TensorSpec>& inputs,
    const std::vector<TensorSpec>& outputs, std::string_view body,
    std::optional<size_t> header_length);

struct InferResponse {
  std::string body;
  // Set when some output is binary: the JSON header's length.
  std::optional<size_t> header_length;
};

InferResponse encode_infer_response(
    const std::string& model, int64_t version, const InferRequest& request,
    const std::vector<TensorSpec>& outputs,
    const std::vector<std::vector<uint8_t>>& values);

// {"x": [...]} for /predict: the model's single input from a flat list of
// real numbers (quantized for an integer input).
Expected<std::vector<uint8_t>> parse_predict_request(const TensorSpec& input,
                                                     std::string_view body);
// {"pred": k, "proba": [...]}: a single-element output is read as the
// positive class's probability (LOGISTIC), anything else as per-class
// probabilities (SOFTMAX), dequantized.
std::string encode_predict_response(const TensorSpec& output,
                                    const std::vector<uint8_t>& value);

}  // namespace tierml::serve

#endif  // TIERML_SERVE_INFER_REQUEST_H_
