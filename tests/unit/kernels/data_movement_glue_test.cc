// The interpreter glue of RESHAPE, SQUEEZE, EXPAND_DIMS, PAD, PADV2,
// STRIDED_SLICE, TRANSPOSE, CONCATENATION and MEAN, run through the real
// interpreter on single-operator models built with the .tflite writer.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "interpreter/interpreter.h"
#include "interpreter/op_resolver.h"
#include "interpreter/ops/registrations.h"
#include "model/graph_builder.h"
#include "model/writer.h"

namespace tierml {
namespace {

using model::GraphBuilder;
using model::per_tensor;
using model::to_bytes;

class Runner {
 public:
  explicit Runner(const model::Graph& graph) {
    const OpRegistration* ops[] = {
        &kOpReshape,   &kOpSqueeze,      &kOpExpandDims,
        &kOpPad,       &kOpPadV2,        &kOpMean,
        &kOpTranspose, &kOpStridedSlice, &kOpConcatenation};
    for (const OpRegistration* op : ops) resolver_.add(op);
    auto blob = model::write_model(graph);
    if (!blob) {
      error_ = "write_model: " + blob.status().message();
      return;
    }
    blob_ = std::move(blob.value());
    arena_.resize(8192);
    status_ = interpreter_.init(blob_.data(), blob_.size(),
                                reinterpret_cast<uint8_t*>(arena_.data()),
                                arena_.size() * sizeof(uint64_t), &resolver_);
    if (status_ != kTmOk) error_ = interpreter_.last_error();
  }

  TmStatus status() const { return status_; }
  const std::string& error() const { return error_; }

  template <typename T>
  std::vector<T> run(const std::vector<std::vector<T>>& inputs) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      TmTensor* t = interpreter_.input(static_cast<int>(i));
      EXPECT_EQ(t->bytes, inputs[i].size() * sizeof(T));
      memcpy(t->data, inputs[i].data(), t->bytes);
    }
    EXPECT_EQ(interpreter_.invoke(), kTmOk) << interpreter_.last_error();
    const TmTensor* out = interpreter_.output(0);
    std::vector<T> result(out->bytes / sizeof(T));
    memcpy(result.data(), out->data, out->bytes);
    return result;
  }

 private:
  OpResolver resolver_;
  Interpreter interpreter_;
  std::vector<uint8_t> blob_;
  std::vector<uint64_t> arena_;
  TmStatus status_ = kTmErrorNotReady;
  std::string error_;
};

TEST(DataMovementGlue, PadV2Int8) {
  GraphBuilder b;
  const auto q = per_tensor(0.5f, -3);
  const int32_t in = b.add_input("x", kTmInt8, {1, 2}, q);
  const int32_t pads = b.add_constant(
      "p", kTmInt32, {2, 2}, to_bytes(std::vector<int32_t>{0, 1, 1, 0}));
  const int32_t fill = b.add_constant("c", kTmInt8, {}, {9}, q);
  const int32_t out = b.add_tensor("y", kTmInt8, {2, 3}, q);
  b.add_op(model::attrs_of(kTmOpPadV2), {in, pads, fill}, {out});
  b.mark_output(out);
  Runner r(std::move(b).build());
  ASSERT_EQ(r.status(), kTmOk) << r.error();
  EXPECT_EQ(r.run<int8_t>({{4, 5}}), (std::vector<int8_t>{9, 4, 5, 9, 9, 9}));
}

TEST(DataMovementGlue, PadNeedsConstantPaddings) {
  GraphBuilder b;
  const int32_t in = b.add_input("x", kTmFloat32, {2});
  const int32_t pads = b.add_input("p", kTmInt32, {1, 2});
  const int32_t out = b.add_tensor("y", kTmFloat32, {4});
  b.add_op(model::attrs_of(kTmOpPad), {in, pads}, {out});
  b.mark_output(out);
  Runner r(std::move(b).build());
  EXPECT_EQ(r.status(), kTmErrorUnsupported);
  EXPECT_NE(r.error().find("non-constant paddings"), std::string::npos)
      << r.error();
  EXPECT_NE(r.error().find("PAD"), std::string::npos) << r.error();
}

TEST(DataMovementGlue, StridedSliceReverses) {
  GraphBuilder b;
  const int32_t in = b.add_input("x", kTmInt16, {2, 3});
  auto vec = [&](const char* name, std::vector<int32_t> v) {
    return b.add_constant(name, kTmInt32, {2}, to_bytes(v));
  };
  const int32_t begin = vec("b", {1, 0});
  const int32_t end = vec("e", {2, 0});
  const int32_t strides = vec("s", {1, -1});
  const int32_t out = b.add_tensor("y", kTmInt16, {3});
  // x[1, ::-1]
  b.add_op(model::strided_slice_attrs(2, 2, 0, 0, 1), {in, begin, end, strides},
           {out});
  b.mark_output(out);
  Runner r(std::move(b).build());
  ASSERT_EQ(r.status(), kTmOk) << r.error();
  EXPECT_EQ(r.run<int16_t>({{1, 2, 3, 4, 5, 6}}),
            (std::vector<int16_t>{6, 5, 4}));
}

TEST(DataMovementGlue, StridedSliceWrongOutputShapeIsReported) {
  GraphBuilder b;
  const int32_t in = b.add_input("x", kTmInt8, {4});
  const int32_t begin =
      b.add_constant("b", kTmInt32, {1}, to_bytes(std::vector<int32_t>{0}));
  const int32_t end =
      b.add_constant("e", kTmInt32, {1}, to_bytes(std::vector<int32_t>{2}));
  const int32_t strides =
      b.add_constant("s", kTmInt32, {1}, to_bytes(std::vector<int32_t>{1}));
  const int32_t out = b.add_tensor("y", kTmInt8, {3});
  b.add_op(model::strided_slice_attrs(0, 0, 0, 0, 0), {in, begin, end, strides},
           {out});
  b.mark_output(out);
  Runner r(std::move(b).build());
  EXPECT_EQ(r.status(), kTmErrorBadArgument);
  EXPECT_NE(r.error().find("STRIDED_SLICE"), std::string::npos) << r.error();
}

TEST(DataMovementGlue, MeanInt8RequantizesWithScratch) {
  GraphBuilder b;
  const int32_t in = b.add_input("x", kTmInt8, {2, 4}, per_tensor(1.0f, 0));
  const int32_t axis =
      b.add_constant("a", kTmInt32, {1}, to_bytes(std::vector<int32_t>{-1}));
  const int32_t out = b.add_tensor("y", kTmInt8, {2}, per_tensor(1.0f, 1));
  b.add_op(model::mean_attrs(false), {in, axis}, {out});
  b.mark_output(out);
  Runner r(std::move(b).build());
  ASSERT_EQ(r.status(), kTmOk) << r.error();
  // Means -1.5 and 1.5; the 1/4 rounds away from zero in the shift.
  EXPECT_EQ(r.run<int8_t>({{-1, -2, -1, -2, 1, 2, 1, 2}}),
            (std::vector<int8_t>{-1, 3}));
}

TEST(DataMovementGlue, TransposeFloat) {
  GraphBuilder b;
  const int32_t in = b.add_input("x", kTmFloat32, {2, 3});
  const int32_t perm =
      b.add_constant("p", kTmInt32, {2}, to_bytes(std::vector<int32_t>{1, 0}));
  const int32_t out = b.add_tensor("y", kTmFloat32, {3, 2});
  b.add_op(model::attrs_of(kTmOpTranspose), {in, perm}, {out});
  b.mark_output(out);
  Runner r(std::move(b).build());
  ASSERT_EQ(r.status(), kTmOk) << r.error();
  EXPECT_EQ(r.run<float>({{1, 2, 3, 4, 5, 6}}),
            (std::vector<float>{1, 4, 2, 5, 3, 6}));
}

TEST(DataMovementGlue, ConcatenationTwoInputs) {
  GraphBuilder b;
  const auto q = per_tensor(0.25f, 2);
  const int32_t x = b.add_input("x", kTmInt8, {2, 1}, q);
  const int32_t y = b.add_input("y", kTmInt8, {2, 2}, q);
  const int32_t out = b.add_tensor("z", kTmInt8, {2, 3}, q);
  b.add_op(model::concatenation_attrs(1), {x, y}, {out});
  b.mark_output(out);
  Runner r(std::move(b).build());
  ASSERT_EQ(r.status(), kTmOk) << r.error();
  EXPECT_EQ(r.run<int8_t>({{1, 2}, {3, 4, 5, 6}}),
            (std::vector<int8_t>{1, 3, 4, 2, 5, 6}));
}

TEST(DataMovementGlue, ConcatenationRejectsRequantization) {
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmInt8, {1}, per_tensor(0.25f, 2));
  const int32_t y = b.add_input("y", kTmInt8, {1}, per_tensor(0.5f, 2));
  const int32_t out = b.add_tensor("z", kTmInt8, {2}, per_tensor(0.25f, 2));
  b.add_op(model::concatenation_attrs(0), {x, y}, {out});
  b.mark_output(out);
  Runner r(std::move(b).build());
  EXPECT_EQ(r.status(), kTmErrorUnsupported);
  EXPECT_NE(r.error().find("requantize"), std::string::npos) << r.error();
}

TEST(DataMovementGlue, ReshapeSqueezeExpandDims) {
  {
    GraphBuilder b;
    const int32_t in = b.add_input("x", kTmInt8, {2, 3});
    const int32_t shape = b.add_constant("s", kTmInt32, {2},
                                         to_bytes(std::vector<int32_t>{3, -1}));
    const int32_t out = b.add_tensor("y", kTmInt8, {3, 2});
    b.add_op(model::attrs_of(kTmOpReshape), {in, shape}, {out});
    b.mark_output(out);
    Runner r(std::move(b).build());
    ASSERT_EQ(r.status(), kTmOk) << r.error();
    EXPECT_EQ(r.run<int8_t>({{1, 2, 3, 4, 5, 6}}),
              (std::vector<int8_t>{1, 2, 3, 4, 5, 6}));
  }
  {
    GraphBuilder b;
    const int32_t in = b.add_input("x", kTmInt8, {2, 3});
    const int32_t shape = b.add_constant("s", kTmInt32, {2},
                                         to_bytes(std::vector<int32_t>{2, 3}));
    const int32_t out = b.add_tensor("y", kTmInt8, {3, 2});
    b.add_op(model::attrs_of(kTmOpReshape), {in, shape}, {out});
    b.mark_output(out);
    Runner r(std::move(b).build());
    EXPECT_EQ(r.status(), kTmErrorBadArgument);
    EXPECT_NE(r.error().find("RESHAPE"), std::string::npos) << r.error();
  }
  {
    GraphBuilder b;
    const int32_t in = b.add_input("x", kTmInt16, {1, 3, 1});
    const int32_t out = b.add_tensor("y", kTmInt16, {3, 1});
    b.add_op(model::squeeze_attrs({0}), {in}, {out});
    b.mark_output(out);
    Runner r(std::move(b).build());
    ASSERT_EQ(r.status(), kTmOk) << r.error();
    EXPECT_EQ(r.run<int16_t>({{-7, 8, -9}}), (std::vector<int16_t>{-7, 8, -9}));
  }
  {
    GraphBuilder b;
    const int32_t in = b.add_input("x", kTmInt16, {1, 3, 1});
    const int32_t out = b.add_tensor("y", kTmInt16, {3, 1});
    b.add_op(model::squeeze_attrs({1}), {in}, {out});
    b.mark_output(out);
    Runner r(std::move(b).build());
    EXPECT_EQ(r.status(), kTmErrorBadArgument) << r.error();
  }
  {
    GraphBuilder b;
    const int32_t in = b.add_input("x", kTmFloat32, {2, 2});
    const int32_t axis =
        b.add_constant("a", kTmInt64, {1}, to_bytes(std::vector<int64_t>{-2}));
    const int32_t out = b.add_tensor("y", kTmFloat32, {2, 1, 2});
    b.add_op(model::attrs_of(kTmOpExpandDims), {in, axis}, {out});
    b.mark_output(out);
    Runner r(std::move(b).build());
    ASSERT_EQ(r.status(), kTmOk) << r.error();
    EXPECT_EQ(r.run<float>({{1, 2, 3, 4}}), (std::vector<float>{1, 2, 3, 4}));
  }
  {
    GraphBuilder b;
    const int32_t in = b.add_input("x", kTmFloat32, {2, 2});
    const int32_t axis =
        b.add_constant("a", kTmInt32, {1}, to_bytes(std::vector<int32_t>{0}));
    const int32_t out = b.add_tensor("y", kTmFloat32, {2, 1, 2});
    b.add_op(model::attrs_of(kTmOpExpandDims), {in, axis}, {out});
    b.mark_output(out);
    Runner r(std::move(b).build());
    EXPECT_EQ(r.status(), kTmErrorBadArgument);
    EXPECT_NE(r.error().find("EXPAND_DIMS"), std::string::npos) << r.error();
  }
}

}  // namespace
}  // namespace tierml
