// A small API to build Graphs by hand: single-operator models for tests,
// the demo's model, later exporters. Nothing is checked here; write_model
// and read_model check the result.
//
//   GraphBuilder b;
//   int32_t in = b.add_input("x", kTmInt8, {1, 8, 8, 3}, per_tensor(0.5f, 1));
//   int32_t w = b.add_constant("w", kTmInt8, {4, 3, 3, 3}, to_bytes(weights),
//                              per_channel(scales, 0));
//   int32_t out = b.add_tensor("y", kTmInt8, {1, 8, 8, 4}, ...);
//   b.add_op(conv2d_attrs(kTmPaddingSame, 1, 1), {in, w, -1}, {out});
//   b.mark_output(out);
//   Graph g = std::move(b).build();
#ifndef TIERML_MODEL_GRAPH_BUILDER_H_
#define TIERML_MODEL_GRAPH_BUILDER_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "model/graph.h"

namespace tierml::model {

Quantization per_tensor(float scale, int64_t zero_point);
// Symmetric per-channel quantization (zero points 0), as TFLite uses for
// weights.
Quantization per_channel(std::vector<float> scales, int32_t dimension);

// Little-endian bytes of values (the host is little-endian, as the format).
template <typename T>
std::vector<uint8_t> to_bytes(const std::vector<T>& values) {
  static_assert(std::is_trivially_copyable_v<T>);
  std::vector<uint8_t> bytes(values.size() * sizeof(T));
  if (!bytes.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

class GraphBuilder {
 public:
  // Each returns the new tensor's index.
  int32_t add_tensor(std::string name, TmType type, std::vector<int32_t> shape,
                     Quantization quantization = {});
  int32_t add_input(std::string name, TmType type, std::vector<int32_t> shape,
                    Quantization quantization = {});
  int32_t add_constant(std::string name, TmType type,
                       std::vector<int32_t> shape, std::vector<uint8_t> data,
                       Quantization quantization = {});
  int32_t add_variable(std::string name, TmType type,
                       std::vector<int32_t> shape,
                       Quantization quantization = {});
  void mark_output(int32_t tensor);

  // Returns the operator's index. The operator code is attrs.op.
  int32_t add_op(const TmOpAttrs& attrs, std::vector<int32_t> inputs,
                 std::vector<int32_t> outputs, int32_t version = 1);

  void set_description(std::string description);
  void add_metadata(std::string name, std::vector<uint8_t> data);

  const Graph& graph() const { return graph_; }
  Graph build() && { return std::move(graph_); }

 private:
  Graph graph_;
};

// Attributes of operators without options (RELU, RESHAPE, PAD, ...).
TmOpAttrs attrs_of(TmBuiltinOp op);
TmOpAttrs conv2d_attrs(TmPadding padding, int32_t stride_w, int32_t stride_h,
                       TmActivation activation = kTmActNone,
                       int32_t dilation_w = 1, int32_t dilation_h = 1);
TmOpAttrs depthwise_conv2d_attrs(TmPadding padding, int32_t stride_w,
                                 int32_t stride_h, int32_t depth_multiplier,
                                 TmActivation activation = kTmActNone,
                                 int32_t dilation_w = 1,
                                 int32_t dilation_h = 1);
TmOpAttrs transpose_conv_attrs(TmPadding padding, int32_t stride_w,
                               int32_t stride_h,
                               TmActivation activation = kTmActNone);
TmOpAttrs fully_connected_attrs(TmActivation activation = kTmActNone,
                                bool keep_num_dims = false);
// op: AVERAGE_POOL_2D or MAX_POOL_2D.
TmOpAttrs pool2d_attrs(TmBuiltinOp op, TmPadding padding, int32_t stride_w,
                       int32_t stride_h, int32_t filter_w, int32_t filter_h,
                       TmActivation activation = kTmActNone);
// op: ADD, SUB or MUL (pot_scale_int16 keeps the schema's default, true).
TmOpAttrs elementwise_attrs(TmBuiltinOp op,
                            TmActivation activation = kTmActNone);
TmOpAttrs softmax_attrs(float beta = 1.0f);
TmOpAttrs concatenation_attrs(int32_t axis,
                              TmActivation activation = kTmActNone);
TmOpAttrs mean_attrs(bool keep_dims);
TmOpAttrs squeeze_attrs(const std::vector<int32_t>& dims);
TmOpAttrs strided_slice_attrs(int32_t begin_mask, int32_t end_mask,
                              int32_t ellipsis_mask, int32_t new_axis_mask,
                              int32_t shrink_axis_mask, bool offset = false);
TmOpAttrs leaky_relu_attrs(float alpha);
TmOpAttrs svdf_attrs(int32_t rank, TmActivation activation = kTmActNone);
TmOpAttrs lstm_attrs(TmActivation activation, float cell_clip = 0.0f,
                     float proj_clip = 0.0f, bool time_major = false);

}  // namespace tierml::model

#endif  // TIERML_MODEL_GRAPH_BUILDER_H_
