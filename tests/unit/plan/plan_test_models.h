// Small graphs for the planner's tests, built with GraphBuilder. The planner
// only looks at shapes, types and connections, so weights are zero bytes of
// the right size.
#ifndef TIERML_TESTS_UNIT_PLAN_PLAN_TEST_MODELS_H_
#define TIERML_TESTS_UNIT_PLAN_PLAN_TEST_MODELS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "model/graph.h"
#include "model/graph_builder.h"

namespace tierml::testing {

inline model::Quantization q8() { return model::per_tensor(0.05f, 0); }

inline int32_t int8_tensor(model::GraphBuilder& b, const std::string& name,
                           std::vector<int32_t> shape) {
  return b.add_tensor(name, kTmInt8, std::move(shape), q8());
}

inline int32_t zero_weights(model::GraphBuilder& b, const std::string& name,
                            TmType type, std::vector<int32_t> shape) {
  model::Tensor t;
  t.type = type;
  t.shape = shape;
  const int64_t bytes = model::tensor_bytes(t);
  return b.add_constant(
      name, type, std::move(shape),
      std::vector<uint8_t>(static_cast<size_t>(bytes), 0),
      type == kTmInt8 ? model::per_tensor(0.01f, 0) : model::Quantization{});
}

// x [1, h, w, c_in] -> CONV_2D 1x1 -> y [1, h, w, c_out].
inline int32_t add_conv(model::GraphBuilder& b, int32_t x,
                        const std::string& name, int32_t h, int32_t w,
                        int32_t c_in, int32_t c_out) {
  const int32_t filter =
      zero_weights(b, name + "/w", kTmInt8, {c_out, 1, 1, c_in});
  const int32_t bias = zero_weights(b, name + "/b", kTmInt32, {c_out});
  const int32_t y = int8_tensor(b, name, {1, h, w, c_out});
  b.add_op(model::conv2d_attrs(kTmPaddingValid, 1, 1), {x, filter, bias}, {y});
  return y;
}

inline int32_t add_unary(model::GraphBuilder& b, TmBuiltinOp op, int32_t x,
                         const std::string& name, std::vector<int32_t> shape,
                         TmType type = kTmInt8) {
  const int32_t y = b.add_tensor(name, type, std::move(shape), q8());
  b.add_op(model::attrs_of(op), {x}, {y});
  return y;
}

inline int32_t add_binary(model::GraphBuilder& b, TmBuiltinOp op, int32_t x,
                          int32_t y, const std::string& name,
                          std::vector<int32_t> shape) {
  const int32_t z = int8_tensor(b, name, std::move(shape));
  b.add_op(model::elementwise_attrs(op), {x, y}, {z});
  return z;
}

}  // namespace tierml::testing

#endif  // TIERML_TESTS_UNIT_PLAN_PLAN_TEST_MODELS_H_
