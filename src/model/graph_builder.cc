#include "model/graph_builder.h"

#include <algorithm>
#include <utility>

namespace tierml::model {

Quantization per_tensor(float scale, int64_t zero_point) {
  return Quantization{{scale}, {zero_point}, 0};
}

Quantization per_channel(std::vector<float> scales, int32_t dimension) {
  std::vector<int64_t> zero_points(scales.size(), 0);
  return Quantization{std::move(scales), std::move(zero_points), dimension};
}

int32_t GraphBuilder::add_tensor(std::string name, TmType type,
                                 std::vector<int32_t> shape,
                                 Quantization quantization) {
  Tensor tensor;
  tensor.name = std::move(name);
  tensor.type = type;
  tensor.shape = std::move(shape);
  tensor.quantization = std::move(quantization);
  graph_.tensors.push_back(std::move(tensor));
  return static_cast<int32_t>(graph_.tensors.size() - 1);
}

int32_t GraphBuilder::add_input(std::string name, TmType type,
                                std::vector<int32_t> shape,
                                Quantization quantization) {
  const int32_t index = add_tensor(std::move(name), type, std::move(shape),
                                   std::move(quantization));
  graph_.inputs.push_back(index);
  return index;
}

int32_t GraphBuilder::add_constant(std::string name, TmType type,
                                   std::vector<int32_t> shape,
                                   std::vector<uint8_t> data,
                                   Quantization quantization) {
  const int32_t index = add_tensor(std::move(name), type, std::move(shape),
                                   std::move(quantization));
  graph_.tensors[index].data = std::move(data);
  return index;
}

int32_t GraphBuilder::add_variable(std::string name, TmType type,
                                   std::vector<int32_t> shape,
                                   Quantization quantization) {
  const int32_t index = add_tensor(std::move(name), type, std::move(shape),
                                   std::move(quantization));
  graph_.tensors[index].is_variable = true;
  return index;
}

void GraphBuilder::mark_output(int32_t tensor) {
  graph_.outputs.push_back(tensor);
}

int32_t GraphBuilder::add_op(const TmOpAttrs& attrs,
                             std::vector<int32_t> inputs,
                             std::vector<int32_t> outputs, int32_t version) {
  Operator op;
  op.builtin_code = attrs.op;
  op.version = version;
  op.inputs = std::move(inputs);
  op.outputs = std::move(outputs);
  op.attrs = attrs;
  graph_.operators.push_back(std::move(op));
  return static_cast<int32_t>(graph_.operators.size() - 1);
}

void GraphBuilder::set_description(std::string description) {
  graph_.description = std::move(description);
}

void GraphBuilder::add_metadata(std::string name, std::vector<uint8_t> data) {
  graph_.metadata.push_back(Metadata{std::move(name), std::move(data)});
}

TmOpAttrs attrs_of(TmBuiltinOp op) {
  TmOpAttrs attrs = {};
  attrs.op = op;
  return attrs;
}

TmOpAttrs conv2d_attrs(TmPadding padding, int32_t stride_w, int32_t stride_h,
                       TmActivation activation, int32_t dilation_w,
                       int32_t dilation_h) {
  TmOpAttrs attrs = attrs_of(kTmOpConv2d);
  attrs.u.conv = {padding,    stride_w,   stride_h,
                  dilation_w, dilation_h, activation};
  return attrs;
}

TmOpAttrs depthwise_conv2d_attrs(TmPadding padding, int32_t stride_w,
                                 int32_t stride_h, int32_t depth_multiplier,
                                 TmActivation activation, int32_t dilation_w,
                                 int32_t dilation_h) {
  TmOpAttrs attrs = attrs_of(kTmOpDepthwiseConv2d);
  attrs.u.depthwise = {padding,    stride_w,   stride_h,  depth_multiplier,
                       dilation_w, dilation_h, activation};
  return attrs;
}

TmOpAttrs transpose_conv_attrs(TmPadding padding, int32_t stride_w,
                               int32_t stride_h, TmActivation activation) {
  TmOpAttrs attrs = attrs_of(kTmOpTransposeConv);
  attrs.u.transpose_conv = {padding, stride_w, stride_h, activation};
  return attrs;
}

TmOpAttrs fully_connected_attrs(TmActivation activation, bool keep_num_dims) {
  TmOpAttrs attrs = attrs_of(kTmOpFullyConnected);
  attrs.u.fully_connected = {activation, keep_num_dims ? 1 : 0};
  return attrs;
}

TmOpAttrs pool2d_attrs(TmBuiltinOp op, TmPadding padding, int32_t stride_w,
                       int32_t stride_h, int32_t filter_w, int32_t filter_h,
                       TmActivation activation) {
  TmOpAttrs attrs = attrs_of(op);
  attrs.u.pool = {padding, stride_w, stride_h, filter_w, filter_h, activation};
  return attrs;
}

TmOpAttrs elementwise_attrs(TmBuiltinOp op, TmActivation activation) {
  TmOpAttrs attrs = attrs_of(op);
  attrs.u.elementwise = {activation, 1};
  return attrs;
}

TmOpAttrs softmax_attrs(float beta) {
  TmOpAttrs attrs = attrs_of(kTmOpSoftmax);
  attrs.u.softmax.beta = beta;
  return attrs;
}

TmOpAttrs concatenation_attrs(int32_t axis, TmActivation activation) {
  TmOpAttrs attrs = attrs_of(kTmOpConcatenation);
  attrs.u.concatenation = {axis, activation};
  return attrs;
}

TmOpAttrs mean_attrs(bool keep_dims) {
  TmOpAttrs attrs = attrs_of(kTmOpMean);
  attrs.u.reducer.keep_dims = keep_dims ? 1 : 0;
  return attrs;
}

TmOpAttrs squeeze_attrs(const std::vector<int32_t>& dims) {
  TmOpAttrs attrs = attrs_of(kTmOpSqueeze);
  const size_t n = std::min<size_t>(dims.size(), TM_MAX_SQUEEZE_DIMS);
  attrs.u.squeeze.num_squeeze_dims = static_cast<int32_t>(n);
  std::copy_n(dims.begin(), n, attrs.u.squeeze.squeeze_dims);
  return attrs;
}

TmOpAttrs strided_slice_attrs(int32_t begin_mask, int32_t end_mask,
                              int32_t ellipsis_mask, int32_t new_axis_mask,
                              int32_t shrink_axis_mask, bool offset) {
  TmOpAttrs attrs = attrs_of(kTmOpStridedSlice);
  attrs.u.strided_slice = {begin_mask,    end_mask,         ellipsis_mask,
                           new_axis_mask, shrink_axis_mask, offset ? 1 : 0};
  return attrs;
}

TmOpAttrs leaky_relu_attrs(float alpha) {
  TmOpAttrs attrs = attrs_of(kTmOpLeakyRelu);
  attrs.u.leaky_relu.alpha = alpha;
  return attrs;
}

TmOpAttrs svdf_attrs(int32_t rank, TmActivation activation) {
  TmOpAttrs attrs = attrs_of(kTmOpSvdf);
  attrs.u.svdf = {rank, activation};
  return attrs;
}

TmOpAttrs lstm_attrs(TmActivation activation, float cell_clip, float proj_clip,
                     bool time_major) {
  TmOpAttrs attrs = attrs_of(kTmOpUnidirectionalSequenceLstm);
  attrs.u.lstm.activation = activation;
  attrs.u.lstm.cell_clip = cell_clip;
  attrs.u.lstm.proj_clip = proj_clip;
  attrs.u.lstm.time_major = time_major ? 1 : 0;
  return attrs;
}

}  // namespace tierml::model
