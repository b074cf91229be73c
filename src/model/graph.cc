#include "model/graph.h"

#include <bit>
#include <limits>

namespace tierml::model {
namespace {

// Bit equality, so that a NaN option compares equal to itself after a
// round trip.
bool same_float(float a, float b) {
  return std::bit_cast<uint32_t>(a) == std::bit_cast<uint32_t>(b);
}

bool same_bool(int32_t a, int32_t b) { return (a != 0) == (b != 0); }

bool conv_equal(const TmConvAttrs& a, const TmConvAttrs& b) {
  return a.padding == b.padding && a.stride_w == b.stride_w &&
         a.stride_h == b.stride_h && a.dilation_w == b.dilation_w &&
         a.dilation_h == b.dilation_h && a.activation == b.activation;
}

bool depthwise_equal(const TmDepthwiseConvAttrs& a,
                     const TmDepthwiseConvAttrs& b) {
  return a.padding == b.padding && a.stride_w == b.stride_w &&
         a.stride_h == b.stride_h && a.depth_multiplier == b.depth_multiplier &&
         a.dilation_w == b.dilation_w && a.dilation_h == b.dilation_h &&
         a.activation == b.activation;
}

bool pool_equal(const TmPoolAttrs& a, const TmPoolAttrs& b) {
  return a.padding == b.padding && a.stride_w == b.stride_w &&
         a.stride_h == b.stride_h && a.filter_w == b.filter_w &&
         a.filter_h == b.filter_h && a.activation == b.activation;
}

bool squeeze_equal(const TmSqueezeAttrs& a, const TmSqueezeAttrs& b) {
  if (a.num_squeeze_dims != b.num_squeeze_dims) return false;
  for (int32_t i = 0; i < a.num_squeeze_dims && i < TM_MAX_SQUEEZE_DIMS; ++i) {
    if (a.squeeze_dims[i] != b.squeeze_dims[i]) return false;
  }
  return true;
}

bool strided_slice_equal(const TmStridedSliceAttrs& a,
                         const TmStridedSliceAttrs& b) {
  return a.begin_mask == b.begin_mask && a.end_mask == b.end_mask &&
         a.ellipsis_mask == b.ellipsis_mask &&
         a.new_axis_mask == b.new_axis_mask &&
         a.shrink_axis_mask == b.shrink_axis_mask &&
         same_bool(a.offset, b.offset);
}

bool lstm_equal(const TmLstmAttrs& a, const TmLstmAttrs& b) {
  return a.activation == b.activation && same_float(a.cell_clip, b.cell_clip) &&
         same_float(a.proj_clip, b.proj_clip) &&
         same_bool(a.time_major, b.time_major) &&
         same_bool(a.asymmetric_quantize_inputs,
                   b.asymmetric_quantize_inputs) &&
         same_bool(a.diagonal_recurrent_tensors, b.diagonal_recurrent_tensors);
}

}  // namespace

bool attrs_equal(const TmOpAttrs& a, const TmOpAttrs& b) {
  if (a.op != b.op) return false;
  const auto& x = a.u;
  const auto& y = b.u;
  switch (a.op) {
    case kTmOpConv2d:
      return conv_equal(x.conv, y.conv);
    case kTmOpDepthwiseConv2d:
      return depthwise_equal(x.depthwise, y.depthwise);
    case kTmOpTransposeConv:
      return x.transpose_conv.padding == y.transpose_conv.padding &&
             x.transpose_conv.stride_w == y.transpose_conv.stride_w &&
             x.transpose_conv.stride_h == y.transpose_conv.stride_h &&
             x.transpose_conv.activation == y.transpose_conv.activation;
    case kTmOpFullyConnected:
      return x.fully_connected.activation == y.fully_connected.activation &&
             same_bool(x.fully_connected.keep_num_dims,
                       y.fully_connected.keep_num_dims);
    case kTmOpAveragePool2d:
    case kTmOpMaxPool2d:
      return pool_equal(x.pool, y.pool);
    case kTmOpSoftmax:
      return same_float(x.softmax.beta, y.softmax.beta);
    case kTmOpAdd:
    case kTmOpSub:
      return x.elementwise.activation == y.elementwise.activation &&
             same_bool(x.elementwise.pot_scale_int16,
                       y.elementwise.pot_scale_int16);
    case kTmOpMul:  // MulOptions has no pot_scale_int16
      return x.elementwise.activation == y.elementwise.activation;
    case kTmOpConcatenation:
      return x.concatenation.axis == y.concatenation.axis &&
             x.concatenation.activation == y.concatenation.activation;
    case kTmOpSqueeze:
      return squeeze_equal(x.squeeze, y.squeeze);
    case kTmOpMean:
      return same_bool(x.reducer.keep_dims, y.reducer.keep_dims);
    case kTmOpStridedSlice:
      return strided_slice_equal(x.strided_slice, y.strided_slice);
    case kTmOpLeakyRelu:
      return same_float(x.leaky_relu.alpha, y.leaky_relu.alpha);
    case kTmOpSvdf:
      return x.svdf.rank == y.svdf.rank &&
             x.svdf.activation == y.svdf.activation;
    case kTmOpUnidirectionalSequenceLstm:
      return lstm_equal(x.lstm, y.lstm);
    default:  // operators without options
      return true;
  }
}

bool Operator::operator==(const Operator& other) const {
  return builtin_code == other.builtin_code && version == other.version &&
         inputs == other.inputs && outputs == other.outputs &&
         attrs_equal(attrs, other.attrs);
}

int64_t element_count(const std::vector<int32_t>& shape) {
  int64_t count = 1;
  for (int32_t dim : shape) {
    if (dim < 0) return -1;
    if (dim != 0 && count > std::numeric_limits<int64_t>::max() / dim) {
      return -1;
    }
    count *= dim;
  }
  return count;
}

int64_t tensor_bytes(const Tensor& tensor) {
  const int64_t count = element_count(tensor.shape);
  if (count < 0) return -1;
  if (tensor.type == kTmInt4) return (count + 1) / 2;
  const auto size = static_cast<int64_t>(tm_type_size(tensor.type));
  if (size == 0) return -1;
  if (count > std::numeric_limits<int64_t>::max() / size) return -1;
  return count * size;
}

const char* op_name(int32_t builtin_code) {
  return tm_builtin_op_name(builtin_code);
}

const char* type_name(TmType type) { return tm_type_name(type); }

std::string shape_string(const std::vector<int32_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

}  // namespace tierml::model
