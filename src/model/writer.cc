#include "model/writer.h"

#include <fmt/format.h>

#include <utility>

#include "tflite_subset_generated.h"

namespace tierml::model {
namespace {

namespace fb = flatbuffers;

using OptionsOffset = std::pair<tflite::BuiltinOptions, fb::Offset<void>>;

bool is_tensor_index(const Graph& graph, int32_t index) {
  return index >= 0 && index < static_cast<int32_t>(graph.tensors.size());
}

// Operators the writer knows how to encode (the ones tierml runs).
bool is_written_op(int32_t code) {
  switch (code) {
    case kTmOpAdd:
    case kTmOpAveragePool2d:
    case kTmOpConcatenation:
    case kTmOpConv2d:
    case kTmOpDepthwiseConv2d:
    case kTmOpDequantize:
    case kTmOpFullyConnected:
    case kTmOpLogistic:
    case kTmOpMaxPool2d:
    case kTmOpMul:
    case kTmOpRelu:
    case kTmOpRelu6:
    case kTmOpReshape:
    case kTmOpSoftmax:
    case kTmOpSvdf:
    case kTmOpTanh:
    case kTmOpPad:
    case kTmOpTranspose:
    case kTmOpMean:
    case kTmOpSub:
    case kTmOpSqueeze:
    case kTmOpUnidirectionalSequenceLstm:
    case kTmOpStridedSlice:
    case kTmOpPrelu:
    case kTmOpPadV2:
    case kTmOpTransposeConv:
    case kTmOpExpandDims:
    case kTmOpLeakyRelu:
    case kTmOpQuantize:
    case kTmOpHardSwish:
      return true;
    default:
      return false;
  }
}

Status check_tensor(const Tensor& tensor, size_t index) {
  const auto where = [&] {
    return fmt::format("tensor {} ({})", index, tensor.name);
  };
  if (tensor.shape.size() > TM_MAX_DIMS) {
    return invalid_argument(fmt::format("{}: rank {} is above the maximum {}",
                                        where(), tensor.shape.size(),
                                        TM_MAX_DIMS));
  }
  const Quantization& q = tensor.quantization;
  if (q.scales.size() != q.zero_points.size()) {
    return invalid_argument(
        fmt::format("{}: {} quantization scales but {} zero points", where(),
                    q.scales.size(), q.zero_points.size()));
  }
  if (tensor.is_constant()) {
    const int64_t expected = tensor_bytes(tensor);
    if (expected != static_cast<int64_t>(tensor.data.size())) {
      return invalid_argument(fmt::format(
          "{}: constant data has {} bytes, its type and shape {} {} need {}",
          where(), tensor.data.size(), type_name(tensor.type),
          shape_string(tensor.shape), expected));
    }
  }
  return Status::ok();
}

Status check_operator(const Graph& graph, const Operator& op, size_t index) {
  const auto where = [&] {
    return fmt::format("operator {} ({})", index, op_name(op.builtin_code));
  };
  if (!is_written_op(op.builtin_code)) {
    return invalid_argument(
        fmt::format("{}: operator code {} is not one tierml writes", where(),
                    static_cast<int32_t>(op.builtin_code)));
  }
  if (op.attrs.op != op.builtin_code) {
    return invalid_argument(fmt::format("{}: attributes are for {}", where(),
                                        op_name(op.attrs.op)));
  }
  if (op.builtin_code == kTmOpSqueeze &&
      (op.attrs.u.squeeze.num_squeeze_dims < 0 ||
       op.attrs.u.squeeze.num_squeeze_dims > TM_MAX_SQUEEZE_DIMS)) {
    return invalid_argument(fmt::format("{}: {} squeeze dims", where(),
                                        op.attrs.u.squeeze.num_squeeze_dims));
  }
  for (int32_t t : op.inputs) {
    if (t != -1 && !is_tensor_index(graph, t)) {
      return invalid_argument(
          fmt::format("{}: input tensor {} out of range", where(), t));
    }
  }
  for (int32_t t : op.outputs) {
    if (!is_tensor_index(graph, t)) {
      return invalid_argument(
          fmt::format("{}: output tensor {} out of range", where(), t));
    }
  }
  return Status::ok();
}

Status check_graph(const Graph& graph) {
  int64_t total_bytes = static_cast<int64_t>(graph.description.size());
  for (size_t i = 0; i < graph.tensors.size(); ++i) {
    if (Status s = check_tensor(graph.tensors[i], i); !s.is_ok()) return s;
    total_bytes += static_cast<int64_t>(graph.tensors[i].data.size());
  }
  for (size_t i = 0; i < graph.operators.size(); ++i) {
    if (Status s = check_operator(graph, graph.operators[i], i); !s.is_ok()) {
      return s;
    }
  }
  for (int32_t t : graph.inputs) {
    if (!is_tensor_index(graph, t)) {
      return invalid_argument(fmt::format("graph input {} out of range", t));
    }
  }
  for (int32_t t : graph.outputs) {
    if (!is_tensor_index(graph, t)) {
      return invalid_argument(fmt::format("graph output {} out of range", t));
    }
  }
  for (const Metadata& m : graph.metadata) {
    total_bytes += static_cast<int64_t>(m.data.size());
  }
  if (total_bytes > kMaxModelBytes) {
    return invalid_argument(fmt::format(
        "the model would hold {} bytes of data, above the {} byte limit",
        total_bytes, kMaxModelBytes));
  }
  return Status::ok();
}

tflite::Padding padding(TmPadding p) { return static_cast<tflite::Padding>(p); }

tflite::ActivationFunctionType activation(TmActivation a) {
  return static_cast<tflite::ActivationFunctionType>(a);
}

template <typename T>
OptionsOffset options(tflite::BuiltinOptions type, fb::Offset<T> table) {
  return {type, table.Union()};
}

// The builtin options table of op, as TFLite's converter writes it
// (operators without options get none).
OptionsOffset encode_options(fb::FlatBufferBuilder& fbb, const Graph& graph,
                             const Operator& op) {
  using BO = tflite::BuiltinOptions;
  const auto& u = op.attrs.u;
  switch (op.builtin_code) {
    case kTmOpConv2d:
      return options(BO::Conv2DOptions,
                     tflite::CreateConv2DOptions(
                         fbb, padding(u.conv.padding), u.conv.stride_w,
                         u.conv.stride_h, activation(u.conv.activation),
                         u.conv.dilation_w, u.conv.dilation_h));
    case kTmOpDepthwiseConv2d:
      return options(
          BO::DepthwiseConv2DOptions,
          tflite::CreateDepthwiseConv2DOptions(
              fbb, padding(u.depthwise.padding), u.depthwise.stride_w,
              u.depthwise.stride_h, u.depthwise.depth_multiplier,
              activation(u.depthwise.activation), u.depthwise.dilation_w,
              u.depthwise.dilation_h));
    case kTmOpTransposeConv:
      return options(BO::TransposeConvOptions,
                     tflite::CreateTransposeConvOptions(
                         fbb, padding(u.transpose_conv.padding),
                         u.transpose_conv.stride_w, u.transpose_conv.stride_h,
                         activation(u.transpose_conv.activation)));
    case kTmOpAveragePool2d:
    case kTmOpMaxPool2d:
      return options(
          BO::Pool2DOptions,
          tflite::CreatePool2DOptions(
              fbb, padding(u.pool.padding), u.pool.stride_w, u.pool.stride_h,
              u.pool.filter_w, u.pool.filter_h, activation(u.pool.activation)));
    case kTmOpSvdf:
      return options(BO::SVDFOptions,
                     tflite::CreateSVDFOptions(fbb, u.svdf.rank,
                                               activation(u.svdf.activation)));
    case kTmOpFullyConnected:
      return options(BO::FullyConnectedOptions,
                     tflite::CreateFullyConnectedOptions(
                         fbb, activation(u.fully_connected.activation),
                         tflite::FullyConnectedOptionsWeightsFormat::DEFAULT,
                         u.fully_connected.keep_num_dims != 0));
    case kTmOpSoftmax:
      return options(BO::SoftmaxOptions,
                     tflite::CreateSoftmaxOptions(fbb, u.softmax.beta));
    case kTmOpConcatenation:
      return options(BO::ConcatenationOptions,
                     tflite::CreateConcatenationOptions(
                         fbb, u.concatenation.axis,
                         activation(u.concatenation.activation)));
    case kTmOpAdd:
      return options(
          BO::AddOptions,
          tflite::CreateAddOptions(fbb, activation(u.elementwise.activation),
                                   u.elementwise.pot_scale_int16 != 0));
    case kTmOpSub:
      return options(
          BO::SubOptions,
          tflite::CreateSubOptions(fbb, activation(u.elementwise.activation),
                                   u.elementwise.pot_scale_int16 != 0));
    case kTmOpMul:
      return options(
          BO::MulOptions,
          tflite::CreateMulOptions(fbb, activation(u.elementwise.activation)));
    case kTmOpReshape: {
      // TFLite falls back on new_shape when there is no shape input; the
      // output's shape is what the reshape produces.
      std::vector<int32_t> new_shape;
      if (!op.outputs.empty()) new_shape = graph.tensors[op.outputs[0]].shape;
      return options(BO::ReshapeOptions, tflite::CreateReshapeOptions(
                                             fbb, fbb.CreateVector(new_shape)));
    }
    case kTmOpPad:
      return options(BO::PadOptions, tflite::CreatePadOptions(fbb));
    case kTmOpPadV2:
      return options(BO::PadV2Options, tflite::CreatePadV2Options(fbb));
    case kTmOpTranspose:
      return options(BO::TransposeOptions, tflite::CreateTransposeOptions(fbb));
    case kTmOpMean:
      return options(BO::ReducerOptions, tflite::CreateReducerOptions(
                                             fbb, u.reducer.keep_dims != 0));
    case kTmOpSqueeze: {
      const std::vector<int32_t> dims(
          u.squeeze.squeeze_dims,
          u.squeeze.squeeze_dims + u.squeeze.num_squeeze_dims);
      return options(BO::SqueezeOptions,
                     tflite::CreateSqueezeOptions(fbb, fbb.CreateVector(dims)));
    }
    case kTmOpStridedSlice: {
      const TmStridedSliceAttrs& s = u.strided_slice;
      return options(BO::StridedSliceOptions,
                     tflite::CreateStridedSliceOptions(
                         fbb, s.begin_mask, s.end_mask, s.ellipsis_mask,
                         s.new_axis_mask, s.shrink_axis_mask, s.offset != 0));
    }
    case kTmOpDequantize:
      return options(BO::DequantizeOptions,
                     tflite::CreateDequantizeOptions(fbb));
    case kTmOpQuantize:
      return options(BO::QuantizeOptions, tflite::CreateQuantizeOptions(fbb));
    case kTmOpExpandDims:
      return options(BO::ExpandDimsOptions,
                     tflite::CreateExpandDimsOptions(fbb));
    case kTmOpHardSwish:
      return options(BO::HardSwishOptions, tflite::CreateHardSwishOptions(fbb));
    case kTmOpLeakyRelu:
      return options(BO::LeakyReluOptions,
                     tflite::CreateLeakyReluOptions(fbb, u.leaky_relu.alpha));
    case kTmOpUnidirectionalSequenceLstm: {
      const TmLstmAttrs& l = u.lstm;
      return options(
          BO::UnidirectionalSequenceLSTMOptions,
          tflite::CreateUnidirectionalSequenceLSTMOptions(
              fbb, activation(l.activation), l.cell_clip, l.proj_clip,
              l.time_major != 0, l.asymmetric_quantize_inputs != 0,
              l.diagonal_recurrent_tensors != 0));
    }
    default:  // RELU, RELU6, LOGISTIC, TANH, PRELU: no options
      return {BO::NONE, 0};
  }
}

fb::Offset<tflite::Buffer> create_buffer(fb::FlatBufferBuilder& fbb,
                                         const std::vector<uint8_t>& data) {
  if (data.empty()) return tflite::CreateBuffer(fbb);
  // Kernels read int32/int64/float constants in place: the schema asks for
  // 16-byte aligned buffer data.
  fbb.ForceVectorAlignment(data.size(), sizeof(uint8_t), 16);
  return tflite::CreateBuffer(fbb, fbb.CreateVector(data));
}

fb::Offset<tflite::QuantizationParameters> create_quantization(
    fb::FlatBufferBuilder& fbb, const Quantization& q) {
  if (!q.is_quantized()) return 0;
  return tflite::CreateQuantizationParameters(
      fbb, 0, 0, fbb.CreateVector(q.scales), fbb.CreateVector(q.zero_points),
      tflite::QuantizationDetails::NONE, 0, q.quantized_dimension);
}

class ModelWriter {
 public:
  explicit ModelWriter(const Graph& graph) : graph_(graph), fbb_(1 << 16) {}

  std::vector<uint8_t> write() {
    std::vector<fb::Offset<tflite::Buffer>> buffers;
    buffers.push_back(tflite::CreateBuffer(fbb_));  // sentinel
    std::vector<uint32_t> tensor_buffer(graph_.tensors.size(), 0);
    for (size_t i = 0; i < graph_.tensors.size(); ++i) {
      if (!graph_.tensors[i].is_constant()) continue;
      tensor_buffer[i] = static_cast<uint32_t>(buffers.size());
      buffers.push_back(create_buffer(fbb_, graph_.tensors[i].data));
    }
    std::vector<fb::Offset<tflite::Metadata>> metadata;
    for (const Metadata& m : graph_.metadata) {
      const auto buffer = static_cast<uint32_t>(buffers.size());
      buffers.push_back(create_buffer(fbb_, m.data));
      metadata.push_back(
          tflite::CreateMetadata(fbb_, fbb_.CreateString(m.name), buffer));
    }

    std::vector<fb::Offset<tflite::Tensor>> tensors;
    for (size_t i = 0; i < graph_.tensors.size(); ++i) {
      const Tensor& t = graph_.tensors[i];
      tensors.push_back(tflite::CreateTensor(
          fbb_, fbb_.CreateVector(t.shape),
          static_cast<tflite::TensorType>(t.type), tensor_buffer[i],
          fbb_.CreateString(t.name), create_quantization(fbb_, t.quantization),
          t.is_variable));
    }

    std::vector<fb::Offset<tflite::Operator>> operators;
    for (const Operator& op : graph_.operators) {
      const auto [options_type, options] = encode_options(fbb_, graph_, op);
      operators.push_back(tflite::CreateOperator(
          fbb_, opcode_index(op), fbb_.CreateVector(op.inputs),
          fbb_.CreateVector(op.outputs), options_type, options));
    }

    const auto subgraph = tflite::CreateSubGraph(
        fbb_, fbb_.CreateVector(tensors), fbb_.CreateVector(graph_.inputs),
        fbb_.CreateVector(graph_.outputs), fbb_.CreateVector(operators));
    const std::vector<fb::Offset<tflite::SubGraph>> subgraphs = {subgraph};

    std::vector<fb::Offset<tflite::OperatorCode>> codes;
    for (const auto& [code, version] : opcodes_) {
      codes.push_back(tflite::CreateOperatorCode(
          fbb_, static_cast<int8_t>(code), 0, version,
          static_cast<tflite::BuiltinOperator>(code)));
    }

    const auto model = tflite::CreateModel(
        fbb_, kSchemaVersion, fbb_.CreateVector(codes),
        fbb_.CreateVector(subgraphs), fbb_.CreateString(graph_.description),
        fbb_.CreateVector(buffers), 0,
        metadata.empty() ? 0 : fbb_.CreateVector(metadata));
    tflite::FinishModelBuffer(fbb_, model);
    const uint8_t* bytes = fbb_.GetBufferPointer();
    return std::vector<uint8_t>(bytes, bytes + fbb_.GetSize());
  }

 private:
  static constexpr uint32_t kSchemaVersion = 3;

  // Operator codes in order of first use, one per (code, version).
  uint32_t opcode_index(const Operator& op) {
    const std::pair<int32_t, int32_t> key{op.builtin_code, op.version};
    for (size_t i = 0; i < opcodes_.size(); ++i) {
      if (opcodes_[i] == key) return static_cast<uint32_t>(i);
    }
    opcodes_.push_back(key);
    return static_cast<uint32_t>(opcodes_.size() - 1);
  }

  const Graph& graph_;
  fb::FlatBufferBuilder fbb_;
  std::vector<std::pair<int32_t, int32_t>> opcodes_;
};

}  // namespace

Expected<std::vector<uint8_t>> write_model(const Graph& graph) {
  if (Status s = check_graph(graph); !s.is_ok()) return s;
  return ModelWriter(graph).write();
}

}  // namespace tierml::model
