#include "model/op_options.h"

#include <math.h>
#include <string.h>

namespace tierml {
namespace {

// Values of the schema's BuiltinOptions union that tierml's operators use.
enum OptionsType : uint8_t {
  kNoOptions = 0,
  kConv2DOptions = 1,
  kDepthwiseConv2DOptions = 2,
  kPool2DOptions = 5,
  kSvdfOptions = 6,
  kFullyConnectedOptions = 8,
  kSoftmaxOptions = 9,
  kConcatenationOptions = 10,
  kAddOptions = 11,
  kReshapeOptions = 17,
  kMulOptions = 21,
  kPadOptions = 22,
  kTransposeOptions = 26,
  kReducerOptions = 27,
  kSubOptions = 28,
  kSqueezeOptions = 30,
  kStridedSliceOptions = 32,
  kDequantizeOptions = 38,
  kPadV2Options = 43,
  kTransposeConvOptions = 49,
  kExpandDimsOptions = 52,
  kUnidirectionalSequenceLstmOptions = 71,
  kLeakyReluOptions = 75,
  kQuantizeOptions = 89,
  kHardSwishOptions = 91,
};

struct OptionsKind {
  uint8_t type;
  const char* name;
};

// The union member each operator takes; kNoOptions for operators whose
// schema has no options table.
OptionsKind options_kind(TmBuiltinOp op) {
  switch (op) {
    case kTmOpAdd:
      return {kAddOptions, "AddOptions"};
    case kTmOpAveragePool2d:
    case kTmOpMaxPool2d:
      return {kPool2DOptions, "Pool2DOptions"};
    case kTmOpConcatenation:
      return {kConcatenationOptions, "ConcatenationOptions"};
    case kTmOpConv2d:
      return {kConv2DOptions, "Conv2DOptions"};
    case kTmOpDepthwiseConv2d:
      return {kDepthwiseConv2DOptions, "DepthwiseConv2DOptions"};
    case kTmOpDequantize:
      return {kDequantizeOptions, "DequantizeOptions"};
    case kTmOpFullyConnected:
      return {kFullyConnectedOptions, "FullyConnectedOptions"};
    case kTmOpMul:
      return {kMulOptions, "MulOptions"};
    case kTmOpReshape:
      return {kReshapeOptions, "ReshapeOptions"};
    case kTmOpSoftmax:
      return {kSoftmaxOptions, "SoftmaxOptions"};
    case kTmOpSvdf:
      return {kSvdfOptions, "SVDFOptions"};
    case kTmOpPad:
      return {kPadOptions, "PadOptions"};
    case kTmOpTranspose:
      return {kTransposeOptions, "TransposeOptions"};
    case kTmOpMean:
      return {kReducerOptions, "ReducerOptions"};
    case kTmOpSub:
      return {kSubOptions, "SubOptions"};
    case kTmOpSqueeze:
      return {kSqueezeOptions, "SqueezeOptions"};
    case kTmOpUnidirectionalSequenceLstm:
      return {kUnidirectionalSequenceLstmOptions,
              "UnidirectionalSequenceLSTMOptions"};
    case kTmOpStridedSlice:
      return {kStridedSliceOptions, "StridedSliceOptions"};
    case kTmOpPadV2:
      return {kPadV2Options, "PadV2Options"};
    case kTmOpTransposeConv:
      return {kTransposeConvOptions, "TransposeConvOptions"};
    case kTmOpExpandDims:
      return {kExpandDimsOptions, "ExpandDimsOptions"};
    case kTmOpLeakyRelu:
      return {kLeakyReluOptions, "LeakyReluOptions"};
    case kTmOpQuantize:
      return {kQuantizeOptions, "QuantizeOptions"};
    case kTmOpHardSwish:
      return {kHardSwishOptions, "HardSwishOptions"};
    default:
      return {kNoOptions, "no options"};
  }
}

const char* activation_name(int32_t value) {
  static const char* const kNames[] = {"NONE",  "RELU", "RELU_N1_TO_1",
                                       "RELU6", "TANH", "SIGN_BIT"};
  return value >= 0 && value <= kTmActSignBit ? kNames[value] : "UNKNOWN";
}

// Reads fields of one options table, remembering the first failure so the
// decoding code can read every field and check once at the end.
class Decoder {
 public:
  Decoder(FlatReader& reader, const FlatTable& table)
      : reader_(reader), table_(table) {}

  TmStatus status() const { return status_; }

  int32_t i32(int id, int32_t fallback, const char* name) {
    int32_t value = fallback;
    if (status_ == kTmOk &&
        !reader_.i32_field(table_, id, fallback, name, &value)) {
      status_ = kTmErrorMalformedModel;
    }
    return value;
  }

  int32_t flag(int id, bool fallback, const char* name) {
    bool value = fallback;
    if (status_ == kTmOk &&
        !reader_.bool_field(table_, id, fallback, name, &value)) {
      status_ = kTmErrorMalformedModel;
    }
    return value ? 1 : 0;
  }

  int32_t i8(int id, int8_t fallback, const char* name) {
    int8_t value = fallback;
    if (status_ == kTmOk &&
        !reader_.i8_field(table_, id, fallback, name, &value)) {
      status_ = kTmErrorMalformedModel;
    }
    return value;
  }

  // Finite float; NaN or infinity would poison the kernels' float setup.
  float finite(int id, const char* name) {
    float value = 0.0f;
    if (status_ == kTmOk &&
        !reader_.f32_field(table_, id, 0.0f, name, &value)) {
      status_ = kTmErrorMalformedModel;
    }
    if (status_ == kTmOk && !isfinite(value)) {
      fail(kTmErrorMalformedModel, "%s is not a finite number", name);
      return 0.0f;
    }
    return value;
  }

  // Strides, dilations and filter sizes: anything below 1 is meaningless.
  int32_t positive(int id, int32_t fallback, const char* name) {
    const int32_t value = i32(id, fallback, name);
    if (status_ == kTmOk && value <= 0) {
      fail(kTmErrorMalformedModel, "%s=%d must be positive", name, value);
    }
    return value;
  }

  TmPadding padding(int id) {
    const int32_t value = i8(id, kTmPaddingSame, "padding");
    if (status_ == kTmOk && value != kTmPaddingSame &&
        value != kTmPaddingValid) {
      fail(kTmErrorMalformedModel, "padding=%d is not SAME (0) or VALID (1)",
           value);
      return kTmPaddingSame;
    }
    return static_cast<TmPadding>(value);
  }

  // Fused activation. Clamping kernels implement NONE, RELU, RELU_N1_TO_1 and
  // RELU6; recurrent kernels (any_valid) check the value themselves.
  TmActivation activation(int id, bool any_valid) {
    const int32_t value = i8(id, kTmActNone, "fused_activation_function");
    if (status_ != kTmOk) return kTmActNone;
    if (value < kTmActNone || value > kTmActSignBit) {
      fail(kTmErrorMalformedModel,
           "fused_activation_function=%d is not an ActivationFunctionType",
           value);
      return kTmActNone;
    }
    if (!any_valid && value > kTmActRelu6) {
      fail(kTmErrorUnsupported, "fused_activation_function=%s is not supported",
           activation_name(value));
      return kTmActNone;
    }
    return static_cast<TmActivation>(value);
  }

  void vector(int id, uint32_t elem_size, const char* name, FlatVector* out) {
    if (status_ == kTmOk &&
        !reader_.vector_field(table_, id, elem_size, name, out)) {
      status_ = kTmErrorMalformedModel;
    }
  }

  int32_t i32_at(const FlatVector& v, uint32_t index) const {
    return reader_.i32_at(v, index);
  }

  template <typename... Args>
  void fail(TmStatus status, const char* format, Args... args) {
    if (status_ != kTmOk) return;
    status_ = status;
    reader_.fail(status, format, args...);
  }

 private:
  FlatReader& reader_;
  const FlatTable& table_;
  TmStatus status_ = kTmOk;
};

void decode_conv(Decoder& d, TmConvAttrs* a) {
  a->padding = d.padding(0);
  a->stride_w = d.positive(1, 0, "stride_w");
  a->stride_h = d.positive(2, 0, "stride_h");
  a->activation = d.activation(3, false);
  a->dilation_w = d.positive(4, 1, "dilation_w_factor");
  a->dilation_h = d.positive(5, 1, "dilation_h_factor");
}

void decode_depthwise(Decoder& d, TmDepthwiseConvAttrs* a) {
  a->padding = d.padding(0);
  a->stride_w = d.positive(1, 0, "stride_w");
  a->stride_h = d.positive(2, 0, "stride_h");
  // Redundant with the shapes since TF 2; the kernel reconciles the two.
  a->depth_multiplier = d.i32(3, 0, "depth_multiplier");
  a->activation = d.activation(4, false);
  a->dilation_w = d.positive(5, 1, "dilation_w_factor");
  a->dilation_h = d.positive(6, 1, "dilation_h_factor");
}

void decode_transpose_conv(Decoder& d, TmTransposeConvAttrs* a) {
  a->padding = d.padding(0);
  a->stride_w = d.positive(1, 0, "stride_w");
  a->stride_h = d.positive(2, 0, "stride_h");
  a->activation = d.activation(3, false);
}

void decode_fully_connected(Decoder& d, TmFullyConnectedAttrs* a) {
  a->activation = d.activation(0, false);
  const int32_t weights_format = d.i8(1, 0, "weights_format");
  if (weights_format == 1) {
    d.fail(kTmErrorUnsupported,
           "weights_format=SHUFFLED4x16INT8 is not supported");
  } else if (weights_format != 0) {
    d.fail(kTmErrorMalformedModel,
           "weights_format=%d is not a FullyConnectedOptionsWeightsFormat",
           weights_format);
  }
  a->keep_num_dims = d.flag(2, false, "keep_num_dims");
}

void decode_pool(Decoder& d, TmPoolAttrs* a) {
  a->padding = d.padding(0);
  a->stride_w = d.positive(1, 0, "stride_w");
  a->stride_h = d.positive(2, 0, "stride_h");
  a->filter_w = d.positive(3, 0, "filter_width");
  a->filter_h = d.positive(4, 0, "filter_height");
  a->activation = d.activation(5, false);
}

void decode_squeeze(Decoder& d, TmSqueezeAttrs* a) {
  FlatVector dims;
  d.vector(0, 4, "squeeze_dims", &dims);
  if (d.status() != kTmOk) return;
  if (dims.length > TM_MAX_SQUEEZE_DIMS) {
    d.fail(kTmErrorUnsupported, "%u squeeze_dims, at most %d are supported",
           dims.length, TM_MAX_SQUEEZE_DIMS);
    return;
  }
  a->num_squeeze_dims = static_cast<int32_t>(dims.length);
  for (uint32_t i = 0; i < dims.length; ++i) {
    a->squeeze_dims[i] = d.i32_at(dims, i);
  }
}

void decode_svdf(Decoder& d, TmSvdfAttrs* a) {
  a->rank = d.positive(0, 0, "rank");
  a->activation = d.activation(1, true);
}

void decode_lstm(Decoder& d, TmLstmAttrs* a) {
  a->activation = d.activation(0, true);
  a->cell_clip = d.finite(1, "cell_clip");
  a->proj_clip = d.finite(2, "proj_clip");
  // Both layouts decode; the kernel says which it runs.
  a->time_major = d.flag(3, false, "time_major");
  a->asymmetric_quantize_inputs =
      d.flag(4, false, "asymmetric_quantize_inputs");
  a->diagonal_recurrent_tensors =
      d.flag(5, false, "diagonal_recurrent_tensors");
}

void decode_strided_slice(Decoder& d, TmStridedSliceAttrs* a) {
  a->begin_mask = d.i32(0, 0, "begin_mask");
  a->end_mask = d.i32(1, 0, "end_mask");
  a->ellipsis_mask = d.i32(2, 0, "ellipsis_mask");
  a->new_axis_mask = d.i32(3, 0, "new_axis_mask");
  a->shrink_axis_mask = d.i32(4, 0, "shrink_axis_mask");
  a->offset = d.flag(5, false, "offset");
}

}  // namespace

TmStatus decode_op_options(FlatReader& reader, TmBuiltinOp op,
                           uint8_t options_type, const FlatTable& options,
                           TmOpAttrs* attrs) {
  memset(attrs, 0, sizeof(*attrs));
  attrs->op = op;
  const OptionsKind kind = options_kind(op);
  if (options_type != kNoOptions && options_type != kind.type) {
    return reader.fail(kTmErrorMalformedModel,
                       "builtin_options has union type %u, the operator takes "
                       "%s (%u)",
                       options_type, kind.name, kind.type);
  }
  // A NONE union decodes as an absent table: every field at its default.
  const FlatTable none;
  Decoder d(reader, options_type == kNoOptions ? none : options);
  switch (op) {
    case kTmOpConv2d:
      decode_conv(d, &attrs->u.conv);
      break;
    case kTmOpDepthwiseConv2d:
      decode_depthwise(d, &attrs->u.depthwise);
      break;
    case kTmOpTransposeConv:
      decode_transpose_conv(d, &attrs->u.transpose_conv);
      break;
    case kTmOpFullyConnected:
      decode_fully_connected(d, &attrs->u.fully_connected);
      break;
    case kTmOpAveragePool2d:
    case kTmOpMaxPool2d:
      decode_pool(d, &attrs->u.pool);
      break;
    case kTmOpSoftmax:
      attrs->u.softmax.beta = d.finite(0, "beta");
      break;
    case kTmOpAdd:
    case kTmOpSub:
      attrs->u.elementwise.activation = d.activation(0, false);
      attrs->u.elementwise.pot_scale_int16 = d.flag(1, true, "pot_scale_int16");
      break;
    case kTmOpMul:
      attrs->u.elementwise.activation = d.activation(0, false);
      attrs->u.elementwise.pot_scale_int16 = 1;
      break;
    case kTmOpConcatenation:
      attrs->u.concatenation.axis = d.i32(0, 0, "axis");
      attrs->u.concatenation.activation = d.activation(1, false);
      break;
    case kTmOpSqueeze:
      decode_squeeze(d, &attrs->u.squeeze);
      break;
    case kTmOpMean:
      attrs->u.reducer.keep_dims = d.flag(0, false, "keep_dims");
      break;
    case kTmOpStridedSlice:
      decode_strided_slice(d, &attrs->u.strided_slice);
      break;
    case kTmOpLeakyRelu:
      attrs->u.leaky_relu.alpha = d.finite(0, "alpha");
      break;
    case kTmOpSvdf:
      decode_svdf(d, &attrs->u.svdf);
      break;
    case kTmOpUnidirectionalSequenceLstm:
      decode_lstm(d, &attrs->u.lstm);
      break;
    case kTmOpReshape: {
      // new_shape duplicates the shape input or the output's shape, which
      // the kernel uses; it is still checked like every other field.
      FlatVector new_shape;
      d.vector(0, 4, "new_shape", &new_shape);
      break;
    }
    default:
      // Operators whose options tables have no fields.
      break;
  }
  return d.status();
}

}  // namespace tierml
