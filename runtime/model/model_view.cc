#include "model/model_view.h"

#include <math.h>
#include <string.h>

#include "model/flat_reader.h"
#include "model/op_options.h"
#include "tierml/builtin_ops.h"

namespace tierml {
namespace {

// Field ids (declaration order) of the .tflite schema tables read here.
namespace model_field {
constexpr int kVersion = 0, kOperatorCodes = 1, kSubgraphs = 2,
              kDescription = 3, kBuffers = 4, kMetadataBuffer = 5,
              kMetadata = 6;
}
namespace subgraph_field {
constexpr int kTensors = 0, kInputs = 1, kOutputs = 2, kOperators = 3,
              kName = 4;
}
namespace tensor_field {
constexpr int kShape = 0, kType = 1, kBuffer = 2, kName = 3, kQuantization = 4,
              kIsVariable = 5, kSparsity = 6, kShapeSignature = 7;
}
namespace quant_field {
constexpr int kMin = 0, kMax = 1, kScale = 2, kZeroPoint = 3, kDetailsType = 4,
              kDetails = 5, kQuantizedDimension = 6;
}
namespace opcode_field {
constexpr int kDeprecatedBuiltinCode = 0, kCustomCode = 1, kVersion = 2,
              kBuiltinCode = 3;
}
namespace operator_field {
constexpr int kOpcodeIndex = 0, kInputs = 1, kOutputs = 2,
              kBuiltinOptionsType = 3, kBuiltinOptions = 4, kCustomOptions = 5,
              kMutatingVariableInputs = 7, kIntermediates = 8,
              kLargeCustomOptionsOffset = 9, kLargeCustomOptionsSize = 10,
              kBuiltinOptions2Type = 11, kBuiltinOptions2 = 12;
}
namespace buffer_field {
constexpr int kData = 0, kOffset = 1, kSize = 2;
}
namespace metadata_field {
constexpr int kName = 0, kBuffer = 1;
}

constexpr uint32_t kSchemaVersion = 3;
constexpr int32_t kCustomCode = 32;  // BuiltinOperator CUSTOM
constexpr int8_t kBFloat16 = 18;     // TensorType past TmType's range
constexpr uint64_t kMaxCount = 0x7fffffff;

// External data ("offset > 1" in the schema) must lie inside the file.
bool external_range_ok(uint64_t offset, uint64_t size, size_t file_size) {
  return size <= file_size && offset <= file_size - size;
}

// Bytes of `elements` values of type; false for types without a fixed size.
bool byte_size(TmType type, uint64_t elements, uint64_t* bytes) {
  if (type == kTmInt4) {
    *bytes = (elements + 1) / 2;  // two values per byte
    return true;
  }
  const size_t size = tm_type_size(type);
  *bytes = elements * size;
  return size != 0;
}

// Zero points must be representable in the quantized type.
bool zero_point_in_range(TmType type, int64_t zero_point) {
  switch (type) {
    case kTmInt8:
      return zero_point >= -128 && zero_point <= 127;
    case kTmUInt8:
      return zero_point >= 0 && zero_point <= 255;
    case kTmInt16:
      return zero_point >= -32768 && zero_point <= 32767;
    case kTmInt4:
      return zero_point >= -8 && zero_point <= 7;
    default:
      return zero_point >= INT32_MIN && zero_point <= INT32_MAX;
  }
}

Int32Span span(const uint8_t* blob, const FlatVector& v) {
  Int32Span s;
  if (v.data != 0) {
    // The reader checked 4-byte alignment relative to the 8-aligned blob.
    s.data = reinterpret_cast<const int32_t*>(blob + v.data);
    s.size = static_cast<int32_t>(v.length);
  }
  return s;
}

}  // namespace

TmStatus ModelView::init(const uint8_t* blob, size_t size, ErrorBuffer error) {
  *this = ModelView();
  FlatReader reader(blob, size, error);
  if (blob == nullptr) {
    return reader.fail(kTmErrorBadArgument, "model blob is NULL");
  }
  // Flatbuffers align data relative to the buffer start; an 8-aligned blob
  // makes every verified offset aligned in memory too.
  if (reinterpret_cast<uintptr_t>(blob) % 8 != 0) {
    return reader.fail(kTmErrorBadArgument,
                       "model blob must be 8-byte aligned in memory");
  }
  blob_ = blob;
  size_ = size;
  FlatTable model, subgraph;
  if (verify_header(reader, &model) != kTmOk ||
      verify_model_tables(reader, model, &subgraph) != kTmOk) {
    const TmStatus status = reader.status();
    *this = ModelView();
    return status;
  }
  bool fully_readable = true;
  verify_subgraph(reader, subgraph, &fully_readable);
  if (num_subgraphs_ > 1) {
    reader.set_where("model");
    reader.fail(kTmErrorUnsupported,
                "model has %u subgraphs; only single-subgraph models run "
                "(control flow is not supported)",
                num_subgraphs_);
  }
  // The reader keeps the most severe problem met anywhere.
  const TmStatus status = reader.status();
  verified_ =
      status == kTmOk || (status == kTmErrorUnsupported && fully_readable);
  if (!verified_) *this = ModelView();
  return status;
}

TmStatus ModelView::verify_header(FlatReader& reader, FlatTable* model) {
  reader.set_where("model");
  if (size_ < 8) {
    return reader.fail(kTmErrorMalformedModel,
                       "file is %zu bytes, too small for a .tflite model",
                       size_);
  }
  if (memcmp(blob_ + 4, "TFL3", 4) != 0) {
    char shown[5];
    for (int i = 0; i < 4; ++i) {
      const uint8_t c = blob_[4 + i];
      shown[i] = c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?';
    }
    shown[4] = '\0';
    return reader.fail(kTmErrorMalformedModel,
                       "file identifier is \"%s\", expected \"TFL3\"", shown);
  }
  if (!reader.root(model) || !reader.u32_field(*model, model_field::kVersion, 0,
                                               "version", &version_)) {
    return kTmErrorMalformedModel;
  }
  if (version_ != kSchemaVersion) {
    return reader.fail(kTmErrorUnsupported,
                       "schema version %u is not supported (expected %u)",
                       version_, kSchemaVersion);
  }
  return kTmOk;
}

TmStatus ModelView::verify_model_tables(FlatReader& reader,
                                        const FlatTable& model,
                                        FlatTable* subgraph) {
  reader.set_where("model");
  FlatVector opcodes, subgraphs, description, buffers, metadata_buffer,
      metadata;
  if (!reader.vector_field(model, model_field::kOperatorCodes, 4,
                           "operator_codes", &opcodes) ||
      !reader.vector_field(model, model_field::kSubgraphs, 4, "subgraphs",
                           &subgraphs) ||
      !reader.string_field(model, model_field::kDescription, "description",
                           &description) ||
      !reader.vector_field(model, model_field::kBuffers, 4, "buffers",
                           &buffers) ||
      !reader.vector_field(model, model_field::kMetadataBuffer, 4,
                           "metadata_buffer", &metadata_buffer) ||
      !reader.vector_field(model, model_field::kMetadata, 4, "metadata",
                           &metadata)) {
    return kTmErrorMalformedModel;
  }
  opcodes_ = opcodes.data;
  num_opcodes_ = static_cast<int32_t>(opcodes.length);
  buffers_ = buffers.data;
  num_buffers_ = static_cast<int32_t>(buffers.length);
  metadata_ = metadata.data;
  num_metadata_ = static_cast<int32_t>(metadata.length);
  description_ = description.data;
  description_length_ = description.length;
  num_subgraphs_ = subgraphs.length;

  for (int32_t i = 0; i < num_opcodes_; ++i) {
    reader.set_where("operator code %d", i);
    FlatTable code;
    FlatVector custom;
    int8_t deprecated = 0;
    int32_t version = 0, builtin = 0;
    if (!reader.table_element(opcodes, i, "operator code", &code) ||
        !reader.i8_field(code, opcode_field::kDeprecatedBuiltinCode, 0,
                         "deprecated_builtin_code", &deprecated) ||
        !reader.string_field(code, opcode_field::kCustomCode, "custom_code",
                             &custom) ||
        !reader.i32_field(code, opcode_field::kVersion, 1, "version",
                          &version) ||
        !reader.i32_field(code, opcode_field::kBuiltinCode, 0, "builtin_code",
                          &builtin)) {
      return kTmErrorMalformedModel;
    }
  }
  for (int32_t i = 0; i < num_buffers_; ++i) {
    reader.set_where("buffer %d", i);
    const uint8_t* data = nullptr;
    size_t bytes = 0;
    if (read_buffer(reader, static_cast<uint32_t>(i), &data, &bytes) != kTmOk) {
      return kTmErrorMalformedModel;
    }
  }
  reader.set_where("model");
  for (uint32_t i = 0; i < metadata_buffer.length; ++i) {
    const int32_t index = reader.i32_at(metadata_buffer, i);
    if (index < 0 || index >= num_buffers_) {
      return reader.fail(kTmErrorMalformedModel,
                         "metadata_buffer entry %u is buffer %d, out of range "
                         "(model has %d buffers)",
                         i, index, num_buffers_);
    }
  }
  for (int32_t i = 0; i < num_metadata_; ++i) {
    reader.set_where("metadata %d", i);
    FlatTable entry;
    FlatVector name;
    uint32_t buffer = 0;
    if (!reader.table_element(metadata, i, "metadata", &entry) ||
        !reader.string_field(entry, metadata_field::kName, "name", &name) ||
        !reader.u32_field(entry, metadata_field::kBuffer, 0, "buffer",
                          &buffer)) {
      return kTmErrorMalformedModel;
    }
    if (buffer >= static_cast<uint32_t>(num_buffers_)) {
      return reader.fail(kTmErrorMalformedModel,
                         "buffer %u out of range (model has %d buffers)",
                         buffer, num_buffers_);
    }
  }
  reader.set_where("model");
  if (subgraphs.length == 0) {
    return reader.fail(kTmErrorMalformedModel, "model has no subgraphs");
  }
  reader.set_where("subgraph 0");
  if (!reader.table_element(subgraphs, 0, "subgraph", subgraph)) {
    return kTmErrorMalformedModel;
  }
  return kTmOk;
}

TmStatus ModelView::verify_subgraph(FlatReader& reader,
                                    const FlatTable& subgraph,
                                    bool* fully_readable) {
  reader.set_where("subgraph 0");
  FlatVector tensors, inputs, outputs, operators, name;
  if (!reader.vector_field(subgraph, subgraph_field::kTensors, 4, "tensors",
                           &tensors) ||
      !reader.vector_field(subgraph, subgraph_field::kInputs, 4, "inputs",
                           &inputs) ||
      !reader.vector_field(subgraph, subgraph_field::kOutputs, 4, "outputs",
                           &outputs) ||
      !reader.vector_field(subgraph, subgraph_field::kOperators, 4, "operators",
                           &operators) ||
      !reader.string_field(subgraph, subgraph_field::kName, "name", &name)) {
    return kTmErrorMalformedModel;
  }
  tensors_ = tensors.data;
  num_tensors_ = static_cast<int32_t>(tensors.length);
  operators_ = operators.data;
  num_operators_ = static_cast<int32_t>(operators.length);
  inputs_ = span(blob_, inputs);
  outputs_ = span(blob_, outputs);

  for (int32_t i = 0; i < num_tensors_; ++i) {
    TensorView tensor;
    const TmStatus status = read_tensor(reader, i, &tensor);
    if (status == kTmErrorMalformedModel) return status;
    if (status != kTmOk) *fully_readable = false;
  }
  const Int32Span lists[2] = {inputs_, outputs_};
  const char* const roles[2] = {"input", "output"};
  for (int list = 0; list < 2; ++list) {
    for (int32_t k = 0; k < lists[list].size; ++k) {
      reader.set_where("subgraph 0");
      const int32_t t = lists[list][k];
      if (t < 0 || t >= num_tensors_) {
        return reader.fail(kTmErrorMalformedModel,
                           "%s %d is tensor %d, out of range (subgraph has %d "
                           "tensors)",
                           roles[list], k, t, num_tensors_);
      }
    }
  }
  for (int32_t k = 0; k < inputs_.size; ++k) {
    reader.set_where("subgraph 0");
    const TmStatus status = check_constant_free(reader, inputs_[k], "input", k);
    if (status != kTmOk) return status;
  }
  for (int32_t i = 0; i < num_operators_; ++i) {
    OperatorView op;
    const TmStatus status = read_op(reader, i, &op);
    if (status == kTmErrorMalformedModel) return status;
    // Operators write their outputs; weights in the blob are read-only.
    for (int32_t k = 0; k < op.outputs.size; ++k) {
      const TmStatus output =
          check_constant_free(reader, op.outputs[k], "output", k);
      if (output != kTmOk) return output;
    }
  }
  return kTmOk;
}

TmStatus ModelView::check_constant_free(FlatReader& reader, int32_t tensor,
                                        const char* role, int32_t slot) const {
  // The reader's "where" (set by the caller) names the subgraph or node.
  FlatReader quiet(blob_, size_, ErrorBuffer());
  TensorView view;
  read_tensor(quiet, tensor, &view);
  if (view.data != nullptr && !view.is_variable) {
    return reader.fail(kTmErrorMalformedModel,
                       "%s %d is tensor %d, which holds constant data", role,
                       slot, tensor);
  }
  return kTmOk;
}

TmStatus ModelView::read_buffer(FlatReader& reader, uint32_t index,
                                const uint8_t** data, size_t* bytes) const {
  *data = nullptr;
  *bytes = 0;
  FlatTable buffer;
  FlatVector inline_data;
  uint64_t offset = 0, size = 0;
  if (!reader.table_element(
          FlatVector{buffers_, static_cast<uint32_t>(num_buffers_)}, index,
          "buffer", &buffer) ||
      !reader.vector_field(buffer, buffer_field::kData, 1, "buffer data",
                           &inline_data) ||
      !reader.u64_field(buffer, buffer_field::kOffset, 0, "buffer offset",
                        &offset) ||
      !reader.u64_field(buffer, buffer_field::kSize, 0, "buffer size", &size)) {
    return kTmErrorMalformedModel;
  }
  // Models above 2 GB keep data after the flatbuffer; the schema counts an
  // offset above 1 as set.
  if (offset > 1) {
    if (inline_data.length != 0) {
      return reader.fail(kTmErrorMalformedModel,
                         "buffer %u has both inline data and an external "
                         "offset",
                         index);
    }
    if (!external_range_ok(offset, size, size_)) {
      return reader.fail(kTmErrorMalformedModel,
                         "buffer %u: %zu bytes at offset %zu run past the end "
                         "of the file (%zu bytes)",
                         index, static_cast<size_t>(size),
                         static_cast<size_t>(offset), size_);
    }
    if (size != 0) {
      *data = blob_ + offset;
      *bytes = static_cast<size_t>(size);
    }
    return kTmOk;
  }
  if (inline_data.length != 0) {
    *data = blob_ + inline_data.data;
    *bytes = inline_data.length;
  }
  return kTmOk;
}

TmStatus ModelView::read_tensor(FlatReader& reader, int32_t index,
                                TensorView* out) const {
  *out = TensorView();
  reader.set_where("subgraph 0 tensor %d", index);
  FlatTable table, quantization, sparsity;
  FlatVector shape, name, signature;
  int8_t type = 0;
  uint32_t buffer = 0;
  bool is_variable = false;
  if (index < 0 || index >= num_tensors_) {
    return reader.fail(kTmErrorMalformedModel,
                       "index out of range (subgraph has %d tensors)",
                       num_tensors_);
  }
  if (!reader.table_element(
          FlatVector{tensors_, static_cast<uint32_t>(num_tensors_)},
          static_cast<uint32_t>(index), "tensor", &table) ||
      !reader.vector_field(table, tensor_field::kShape, 4, "shape", &shape) ||
      !reader.i8_field(table, tensor_field::kType, 0, "type", &type) ||
      !reader.u32_field(table, tensor_field::kBuffer, 0, "buffer", &buffer) ||
      !reader.string_field(table, tensor_field::kName, "name", &name) ||
      !reader.table_field(table, tensor_field::kQuantization, "quantization",
                          &quantization) ||
      !reader.bool_field(table, tensor_field::kIsVariable, false, "is_variable",
                         &is_variable) ||
      !reader.table_field(table, tensor_field::kSparsity, "sparsity",
                          &sparsity) ||
      !reader.vector_field(table, tensor_field::kShapeSignature, 4,
                           "shape_signature", &signature)) {
    return kTmErrorMalformedModel;
  }
  if (name.data != 0) {
    out->name = reinterpret_cast<const char*>(blob_ + name.data);
    out->name_length = name.length;
  }
  out->is_variable = is_variable;

  if (type < 0 || type > kBFloat16) {
    return reader.fail(kTmErrorMalformedModel, "unknown tensor type %d", type);
  }
  if (type == kBFloat16) {
    return reader.fail(kTmErrorUnsupported,
                       "tensor type BFLOAT16 is not supported");
  }
  out->type = static_cast<TmType>(type);

  if (shape.length > TM_MAX_DIMS) {
    return reader.fail(kTmErrorUnsupported,
                       "rank %u is not supported (at most %d dimensions)",
                       shape.length, TM_MAX_DIMS);
  }
  uint64_t elements = 1;
  for (uint32_t i = 0; i < shape.length; ++i) {
    const int32_t dim = reader.i32_at(shape, i);
    if (dim < 0) {
      return reader.fail(kTmErrorMalformedModel,
                         "dimension %u is %d; dimensions cannot be negative", i,
                         dim);
    }
    // Both factors stay below 2^31, so the product cannot wrap.
    elements *= static_cast<uint64_t>(dim);
    if (elements > kMaxCount) {
      return reader.fail(kTmErrorMalformedModel,
                         "element count overflows at dimension %u", i);
    }
    out->shape.dims[i] = dim;
  }
  out->shape.rank = static_cast<int32_t>(shape.length);
  uint64_t bytes = 0;
  const bool sized = byte_size(out->type, elements, &bytes);
  if (bytes > kMaxCount) {
    return reader.fail(
        kTmErrorMalformedModel, "byte size of %u %s elements overflows",
        static_cast<uint32_t>(elements), tm_type_name(out->type));
  }

  if (buffer >= static_cast<uint32_t>(num_buffers_)) {
    return reader.fail(kTmErrorMalformedModel,
                       "buffer %u out of range (model has %d buffers)", buffer,
                       num_buffers_);
  }
  const uint8_t* data = nullptr;
  size_t data_bytes = 0;
  if (read_buffer(reader, buffer, &data, &data_bytes) != kTmOk) {
    return kTmErrorMalformedModel;
  }
  if (data != nullptr) {
    if (!sized) {
      return reader.fail(kTmErrorUnsupported,
                         "constant %s tensors are not supported",
                         tm_type_name(out->type));
    }
    if (data_bytes != bytes) {
      return reader.fail(kTmErrorMalformedModel,
                         "buffer %u holds %zu bytes, but %u %s elements need "
                         "%u",
                         buffer, data_bytes, static_cast<uint32_t>(elements),
                         tm_type_name(out->type), static_cast<uint32_t>(bytes));
    }
    // Published models place 8-byte data (int64 biases) on 4-byte
    // boundaries only, so kernels must not assume more than 4.
    const size_t element = tm_type_size(out->type);
    const size_t align = element == 0 ? 1 : (element < 4 ? element : 4);
    const size_t position = static_cast<size_t>(data - blob_);
    if (position % align != 0) {
      return reader.fail(kTmErrorMalformedModel,
                         "data of buffer %u at offset %zu is not %zu-byte "
                         "aligned",
                         buffer, position, align);
    }
    out->data = data;
    out->data_bytes = data_bytes;
  }
  if (quantization.present()) {
    const TmStatus status =
        read_quantization(reader, quantization, *out, &out->quant);
    if (status != kTmOk) return status;
  }
  if (sparsity.present()) {
    return reader.fail(kTmErrorUnsupported, "sparse tensors are not supported");
  }
  return kTmOk;
}

TmStatus ModelView::read_quantization(FlatReader& reader,
                                      const FlatTable& table,
                                      const TensorView& tensor,
                                      TmQuant* out) const {
  *out = TmQuant();
  FlatVector min, max, scales, zero_points;
  FlatTable details;
  uint8_t details_type = 0;
  int32_t dimension = 0;
  if (!reader.vector_field(table, quant_field::kMin, 4, "quantization min",
                           &min) ||
      !reader.vector_field(table, quant_field::kMax, 4, "quantization max",
                           &max) ||
      !reader.vector_field(table, quant_field::kScale, 4, "quantization scale",
                           &scales) ||
      !reader.vector_field(table, quant_field::kZeroPoint, 8,
                           "quantization zero_point", &zero_points) ||
      !reader.u8_field(table, quant_field::kDetailsType, 0,
                       "quantization details_type", &details_type) ||
      !reader.table_field(table, quant_field::kDetails, "quantization details",
                          &details) ||
      !reader.i32_field(table, quant_field::kQuantizedDimension, 0,
                        "quantized_dimension", &dimension)) {
    return kTmErrorMalformedModel;
  }
  if (details_type != 0) {
    return reader.fail(kTmErrorUnsupported,
                       "custom quantization details are not supported");
  }
  // As in TensorFlow Lite, a tensor lacking either list is not quantized.
  if (scales.length == 0 || zero_points.length == 0) return kTmOk;
  if (scales.length != zero_points.length) {
    return reader.fail(kTmErrorMalformedModel,
                       "%u quantization scales but %u zero points",
                       scales.length, zero_points.length);
  }
  const uint32_t count = scales.length;
  if (count > 1) {
    if (dimension < 0 || dimension >= tensor.shape.rank) {
      return reader.fail(kTmErrorMalformedModel,
                         "quantized_dimension %d is outside the rank-%d shape",
                         dimension, tensor.shape.rank);
    }
    if (static_cast<uint32_t>(tensor.shape.dims[dimension]) != count) {
      return reader.fail(kTmErrorMalformedModel,
                         "%u per-channel scales for dimension %d of size %d",
                         count, dimension, tensor.shape.dims[dimension]);
    }
  }
  for (uint32_t i = 0; i < count; ++i) {
    const float scale = reader.f32_at(scales, i);
    if (!(isfinite(scale) && scale > 0.0f)) {
      return reader.fail(kTmErrorMalformedModel,
                         "quantization scale %u is not a positive finite "
                         "number",
                         i);
    }
  }
  const int64_t zero_point = reader.i64_at(zero_points, 0);
  if (!zero_point_in_range(tensor.type, zero_point)) {
    return reader.fail(
        kTmErrorMalformedModel, "zero point %d is out of range for %s",
        static_cast<int32_t>(zero_point), tm_type_name(tensor.type));
  }
  for (uint32_t i = 1; i < count; ++i) {
    if (reader.i64_at(zero_points, i) != zero_point) {
      return reader.fail(kTmErrorUnsupported,
                         "per-channel zero points differ (channel %u vs "
                         "channel 0)",
                         i);
    }
  }
  out->count = static_cast<int32_t>(count);
  out->quantized_dimension = count > 1 ? dimension : 0;
  out->zero_point = static_cast<int32_t>(zero_point);
  out->scales = reinterpret_cast<const float*>(blob_ + scales.data);
  return kTmOk;
}

TmStatus ModelView::read_op(FlatReader& reader, int32_t index,
                            OperatorView* out) const {
  *out = OperatorView();
  reader.set_where("node %d", index);
  if (index < 0 || index >= num_operators_) {
    return reader.fail(kTmErrorMalformedModel,
                       "index out of range (subgraph has %d operators)",
                       num_operators_);
  }
  FlatTable table, options, options2, code;
  FlatVector inputs, outputs, custom_options, mutating, intermediates, custom;
  uint32_t opcode_index = 0;
  uint8_t options_type = 0, options2_type = 0;
  uint64_t large_offset = 0, large_size = 0;
  if (!reader.table_element(
          FlatVector{operators_, static_cast<uint32_t>(num_operators_)},
          static_cast<uint32_t>(index), "operator", &table) ||
      !reader.u32_field(table, operator_field::kOpcodeIndex, 0, "opcode_index",
                        &opcode_index) ||
      !reader.vector_field(table, operator_field::kInputs, 4, "inputs",
                           &inputs) ||
      !reader.vector_field(table, operator_field::kOutputs, 4, "outputs",
                           &outputs) ||
      !reader.u8_field(table, operator_field::kBuiltinOptionsType, 0,
                       "builtin_options_type", &options_type) ||
      !reader.table_field(table, operator_field::kBuiltinOptions,
                          "builtin_options", &options) ||
      !reader.vector_field(table, operator_field::kCustomOptions, 1,
                           "custom_options", &custom_options) ||
      !reader.vector_field(table, operator_field::kMutatingVariableInputs, 1,
                           "mutating_variable_inputs", &mutating) ||
      !reader.vector_field(table, operator_field::kIntermediates, 4,
                           "intermediates", &intermediates) ||
      !reader.u64_field(table, operator_field::kLargeCustomOptionsOffset, 0,
                        "large_custom_options_offset", &large_offset) ||
      !reader.u64_field(table, operator_field::kLargeCustomOptionsSize, 0,
                        "large_custom_options_size", &large_size) ||
      !reader.u8_field(table, operator_field::kBuiltinOptions2Type, 0,
                       "builtin_options_2_type", &options2_type) ||
      !reader.table_field(table, operator_field::kBuiltinOptions2,
                          "builtin_options_2", &options2)) {
    return kTmErrorMalformedModel;
  }
  if (opcode_index >= static_cast<uint32_t>(num_opcodes_)) {
    return reader.fail(kTmErrorMalformedModel,
                       "opcode_index %u out of range (model has %d operator "
                       "codes)",
                       opcode_index, num_opcodes_);
  }
  int8_t deprecated_code = 0;
  int32_t builtin_code = 0, version = 1;
  if (!reader.table_element(
          FlatVector{opcodes_, static_cast<uint32_t>(num_opcodes_)},
          opcode_index, "operator code", &code) ||
      !reader.i8_field(code, opcode_field::kDeprecatedBuiltinCode, 0,
                       "deprecated_builtin_code", &deprecated_code) ||
      !reader.string_field(code, opcode_field::kCustomCode, "custom_code",
                           &custom) ||
      !reader.i32_field(code, opcode_field::kVersion, 1, "version", &version) ||
      !reader.i32_field(code, opcode_field::kBuiltinCode, 0, "builtin_code",
                        &builtin_code)) {
    return kTmErrorMalformedModel;
  }
  // Schema 3a: the byte field holds codes below 127, the int field all.
  out->builtin_code =
      deprecated_code > builtin_code ? deprecated_code : builtin_code;
  out->version = version;
  out->inputs = span(blob_, inputs);
  out->outputs = span(blob_, outputs);
  out->intermediates = span(blob_, intermediates);
  const char* op_name = tm_builtin_op_name(out->builtin_code);
  if (out->builtin_code == kCustomCode) {
    if (custom.data != 0) {
      out->custom_code = reinterpret_cast<const char*>(blob_ + custom.data);
      out->custom_code_length = custom.length;
    }
    reader.set_where("node %d (CUSTOM \"%s\")", index,
                     out->custom_code != nullptr ? out->custom_code : "");
  } else {
    reader.set_where("node %d (%s)", index, op_name);
  }

  for (int32_t k = 0; k < out->inputs.size; ++k) {
    const int32_t t = out->inputs[k];
    if (t < -1 || t >= num_tensors_) {
      return reader.fail(kTmErrorMalformedModel,
                         "input %d is tensor %d, out of range (subgraph has "
                         "%d tensors)",
                         k, t, num_tensors_);
    }
  }
  const Int32Span lists[2] = {out->outputs, out->intermediates};
  const char* const roles[2] = {"output", "intermediate"};
  for (int list = 0; list < 2; ++list) {
    for (int32_t k = 0; k < lists[list].size; ++k) {
      const int32_t t = lists[list][k];
      if (t < 0 || t >= num_tensors_) {
        return reader.fail(kTmErrorMalformedModel,
                           "%s %d is tensor %d, out of range (subgraph has %d "
                           "tensors)",
                           roles[list], k, t, num_tensors_);
      }
    }
  }
  if (large_offset > 1 && !external_range_ok(large_offset, large_size, size_)) {
    return reader.fail(kTmErrorMalformedModel,
                       "custom options (%zu bytes at offset %zu) run past the "
                       "end of the file (%zu bytes)",
                       static_cast<size_t>(large_size),
                       static_cast<size_t>(large_offset), size_);
  }

  if (out->builtin_code == kCustomCode) {
    return reader.fail(kTmErrorUnsupported,
                       "custom operators are not supported");
  }
  if (strcmp(op_name, "UNKNOWN") == 0) {
    return reader.fail(kTmErrorUnsupported,
                       "builtin operator code %d is not in the schema",
                       out->builtin_code);
  }
  if (!tm_builtin_op_is_supported(out->builtin_code)) {
    return reader.fail(kTmErrorUnsupported, "operator not supported");
  }
  const TmStatus status =
      decode_op_options(reader, static_cast<TmBuiltinOp>(out->builtin_code),
                        options_type, options, &out->attrs);
  out->attrs_valid = status == kTmOk;
  return status;
}

TensorView ModelView::tensor(int32_t index) const {
  TensorView view;
  if (!verified_) return view;
  FlatReader quiet(blob_, size_, ErrorBuffer());
  if (read_tensor(quiet, index, &view) != kTmOk) view = TensorView();
  return view;
}

OperatorView ModelView::op(int32_t index) const {
  OperatorView view;
  if (!verified_) return view;
  FlatReader quiet(blob_, size_, ErrorBuffer());
  const TmStatus status = read_op(quiet, index, &view);
  // An unsupported operator keeps its code and tensors for the host.
  if (status == kTmErrorMalformedModel) view = OperatorView();
  return view;
}

bool ModelView::metadata(int32_t index, const char** name,
                         uint32_t* name_length, const uint8_t** data,
                         size_t* data_bytes) const {
  *name = nullptr;
  *name_length = 0;
  *data = nullptr;
  *data_bytes = 0;
  if (!verified_ || index < 0 || index >= num_metadata_) return false;
  FlatReader quiet(blob_, size_, ErrorBuffer());
  FlatTable entry;
  FlatVector text;
  uint32_t buffer = 0;
  if (!quiet.table_element(
          FlatVector{metadata_, static_cast<uint32_t>(num_metadata_)},
          static_cast<uint32_t>(index), "metadata", &entry) ||
      !quiet.string_field(entry, metadata_field::kName, "name", &text) ||
      !quiet.u32_field(entry, metadata_field::kBuffer, 0, "buffer", &buffer) ||
      buffer >= static_cast<uint32_t>(num_buffers_) ||
      read_buffer(quiet, buffer, data, data_bytes) != kTmOk) {
    return false;
  }
  if (text.data != 0) {
    *name = reinterpret_cast<const char*>(blob_ + text.data);
    *name_length = text.length;
  }
  return true;
}

const char* ModelView::description(uint32_t* length) const {
  if (!verified_ || description_ == 0) {
    *length = 0;
    return "";
  }
  *length = description_length_;
  return reinterpret_cast<const char*>(blob_ + description_);
}

}  // namespace tierml
