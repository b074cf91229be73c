#include "model/reader.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

#include "model/model_view.h"
#include "tflite_subset_generated.h"

namespace tierml::model {
namespace {

// ModelView reads int32, int64 and float data in place, and the format
// aligns buffers to 16 bytes relative to the file's start: the blob itself
// must start 16-byte aligned.
constexpr size_t kBlobAlignment = 16;
static_assert(alignof(std::max_align_t) >= kBlobAlignment);

class AlignedCopy {
 public:
  explicit AlignedCopy(std::span<const uint8_t> bytes)
      : storage_((bytes.size() + sizeof(std::max_align_t) - 1) /
                 sizeof(std::max_align_t)) {
    if (!bytes.empty())
      std::memcpy(storage_.data(), bytes.data(), bytes.size());
  }
  const uint8_t* data() const {
    return reinterpret_cast<const uint8_t*>(storage_.data());
  }

 private:
  std::vector<std::max_align_t> storage_;
};

Status view_error(TmStatus status, const char* message) {
  if (status == kTmErrorUnsupported) return unsupported(message);
  return malformed_model(message);
}

// The flatbuffers gate only says yes or no; its reason is given by
// ModelView when ModelView rejects the file too.
bool flatbuffers_verify(const uint8_t* blob, size_t size) {
  flatbuffers::Verifier verifier(blob, size);
  return tflite::VerifyModelBuffer(verifier);
}

Tensor to_tensor(const TensorView& view) {
  Tensor tensor;
  tensor.name.assign(view.name, view.name_length);
  tensor.type = view.type;
  tensor.shape.assign(view.shape.dims, view.shape.dims + view.shape.rank);
  if (view.quant.count > 0) {
    Quantization& q = tensor.quantization;
    q.scales.assign(view.quant.scales, view.quant.scales + view.quant.count);
    q.zero_points.assign(view.quant.count, view.quant.zero_point);
    q.quantized_dimension = view.quant.quantized_dimension;
  }
  if (view.data != nullptr) {
    tensor.data.assign(view.data, view.data + view.data_bytes);
  }
  tensor.is_variable = view.is_variable;
  return tensor;
}

Operator to_operator(const OperatorView& view) {
  Operator op;
  op.builtin_code = static_cast<TmBuiltinOp>(view.builtin_code);
  op.version = view.version;
  op.inputs.assign(view.inputs.data, view.inputs.data + view.inputs.size);
  op.outputs.assign(view.outputs.data, view.outputs.data + view.outputs.size);
  op.attrs = view.attrs;
  return op;
}

Expected<Graph> to_graph(const ModelView& view) {
  Graph graph;
  graph.tensors.reserve(view.num_tensors());
  for (int32_t i = 0; i < view.num_tensors(); ++i) {
    graph.tensors.push_back(to_tensor(view.tensor(i)));
  }
  graph.operators.reserve(view.num_operators());
  for (int32_t i = 0; i < view.num_operators(); ++i) {
    graph.operators.push_back(to_operator(view.op(i)));
  }
  const Int32Span inputs = view.inputs();
  graph.inputs.assign(inputs.data, inputs.data + inputs.size);
  const Int32Span outputs = view.outputs();
  graph.outputs.assign(outputs.data, outputs.data + outputs.size);
  for (int32_t i = 0; i < view.num_metadata(); ++i) {
    const char* name = nullptr;
    uint32_t name_length = 0;
    const uint8_t* data = nullptr;
    size_t data_bytes = 0;
    if (!view.metadata(i, &name, &name_length, &data, &data_bytes)) {
      return malformed_model(fmt::format("metadata {} cannot be read", i));
    }
    Metadata entry;
    entry.name.assign(name, name_length);
    if (data != nullptr) entry.data.assign(data, data + data_bytes);
    graph.metadata.push_back(std::move(entry));
  }
  uint32_t description_length = 0;
  const char* description = view.description(&description_length);
  if (description != nullptr) {
    graph.description.assign(description, description_length);
  }
  return graph;
}

Status prefixed(const Status& status, const std::string& prefix) {
  return Status(status.code(), prefix + ": " + status.message());
}

}  // namespace

Expected<Graph> read_model(std::span<const uint8_t> bytes) {
  if (bytes.size() > static_cast<uint64_t>(kMaxModelBytes)) {
    return unsupported(fmt::format(
        "the model is {} bytes, above the {} byte limit of the reader",
        bytes.size(), kMaxModelBytes));
  }
  if (bytes.empty()) return malformed_model("the file is empty");
  const AlignedCopy blob(bytes);
  const bool flatbuffers_ok = flatbuffers_verify(blob.data(), bytes.size());

  char message[512] = {};
  ModelView view;
  const TmStatus status = view.init(blob.data(), bytes.size(),
                                    ErrorBuffer{message, sizeof(message)});
  if (status == kTmOk && flatbuffers_ok) return to_graph(view);
  // A malformed file is reported as such even where ModelView stopped at
  // something unsupported before reaching the broken part.
  if (flatbuffers_ok || status == kTmErrorMalformedModel) {
    return view_error(status, message);
  }
  return malformed_model(
      "not a valid .tflite flatbuffer: the flatbuffers verifier rejected "
      "it (file identifier must be \"TFL3\"; every table, vector and "
      "string must lie inside the file, aligned)");
}

Expected<Graph> read_model_file(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return io_error(fmt::format("{}: is a directory, not a model file", path));
  }
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) {
    return io_error(
        fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  const std::streamoff size = file.tellg();
  if (size < 0) return io_error(fmt::format("{}: cannot read its size", path));
  if (size > kMaxModelBytes) {
    return unsupported(fmt::format(
        "{}: the model is {} bytes, above the {} byte limit of the reader",
        path, size, kMaxModelBytes));
  }
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  file.seekg(0);
  if (!file.read(reinterpret_cast<char*>(bytes.data()), size)) {
    return io_error(fmt::format("{}: read failed", path));
  }
  Expected<Graph> graph = read_model(bytes);
  if (!graph) return prefixed(graph.status(), path);
  return graph;
}

}  // namespace tierml::model
