// The writer against the reader: read -> write -> read gives an equal Graph
// for every published model, and hand-built graphs of every operator tierml
// runs survive write -> read with their attributes and constant bytes.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <utility>

#include "model/graph_builder.h"
#include "model/reader.h"
#include "model/writer.h"
#include "runtime_host/host_interpreter.h"
#include "tflite_subset_generated.h"
#include "unit/model/golden_models.h"
#include "unit/model/graph_compare.h"

namespace tierml::model {
namespace {

using tierml::testing::expect_graphs_equal;

// Deterministic, non-constant bytes so that a shifted or swapped buffer
// shows up.
std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> bytes(n);
  for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<uint8_t>(i * 37 + seed);
  return bytes;
}

std::vector<uint8_t> i32_bytes(std::vector<int32_t> values) {
  return to_bytes(values);
}

void expect_round_trip(const Graph& graph, const std::string& name) {
  Expected<std::vector<uint8_t>> bytes = write_model(graph);
  ASSERT_TRUE(bytes) << name << ": " << bytes.status().message();
  Expected<Graph> read = read_model(*bytes);
  ASSERT_TRUE(read) << name << ": " << read.status().message();
  expect_graphs_equal(graph, *read, name);
  // The writer is deterministic: the re-read graph gives the same file.
  Expected<std::vector<uint8_t>> again = write_model(*read);
  ASSERT_TRUE(again) << name;
  EXPECT_TRUE(*again == *bytes) << name << ": second write differs";
}

TEST(WriterRoundTripTest, EveryGoldenModel) {
  const auto dirs = tierml::testing::golden_model_dirs();
  TIERML_SKIP_WITHOUT_GOLDEN(dirs);
  for (const auto& dir : dirs) {
    const std::string name = dir.filename().string();
    Expected<Graph> graph = read_model_file((dir / "model.tflite").string());
    ASSERT_TRUE(graph) << name << ": " << graph.status().message();
    expect_round_trip(*graph, name);
  }
}

// The strongest check that the writer keeps what matters: a rewritten model
// runs through the interpreter to exactly the original's outputs. Models the
// interpreter cannot run yet are left out (the golden suite reports them).
TEST(WriterRoundTripTest, RewrittenGoldenModelsRunLikeTheOriginals) {
  const auto dirs = tierml::testing::golden_model_dirs();
  TIERML_SKIP_WITHOUT_GOLDEN(dirs);
  int compared = 0;
  for (const auto& dir : dirs) {
    const std::string name = dir.filename().string();
    const auto path = (dir / "model.tflite").string();
    auto original = HostInterpreter::load_file(path);
    if (!original) continue;
    Expected<Graph> graph = read_model_file(path);
    ASSERT_TRUE(graph) << name;
    Expected<std::vector<uint8_t>> bytes = write_model(*graph);
    ASSERT_TRUE(bytes) << name;
    auto rewritten = HostInterpreter::load(*bytes);
    ASSERT_TRUE(rewritten) << name << ": " << rewritten.status().message();
    const auto input = tierml::testing::read_bytes(dir / "in_0.bin");
    if (input.empty()) continue;
    ASSERT_TRUE((*original)->set_inputs(input).is_ok()) << name;
    ASSERT_TRUE((*rewritten)->set_inputs(input).is_ok()) << name;
    ASSERT_TRUE((*original)->invoke().is_ok()) << name;
    ASSERT_TRUE((*rewritten)->invoke().is_ok()) << name;
    EXPECT_TRUE((*original)->outputs() == (*rewritten)->outputs()) << name;
    ++compared;
  }
  if (compared == 0) GTEST_SKIP() << "the interpreter runs none of the models";
  std::printf("[ info ] %d rewritten golden models ran identically\n",
              compared);
}

// ---- hand-built single-operator graphs, one per operator family ----

Graph conv_graph() {
  GraphBuilder b;
  const int32_t in =
      b.add_input("in", kTmInt8, {1, 5, 5, 2}, per_tensor(0.5f, -3));
  const int32_t w = b.add_constant("w", kTmInt8, {3, 3, 3, 2}, pattern(54, 1),
                                   per_channel({0.1f, 0.2f, 0.3f}, 0));
  const int32_t bias =
      b.add_constant("b", kTmInt32, {3}, i32_bytes({-7, 0, 1 << 20}),
                     per_channel({0.05f, 0.1f, 0.15f}, 0));
  const int32_t out =
      b.add_tensor("out", kTmInt8, {1, 3, 3, 3}, per_tensor(0.25f, 5));
  b.add_op(conv2d_attrs(kTmPaddingSame, 2, 2, kTmActRelu6), {in, w, bias},
           {out}, 3);
  b.mark_output(out);
  return std::move(b).build();
}

Graph depthwise_graph() {
  GraphBuilder b;
  const int32_t in =
      b.add_input("in", kTmInt16, {1, 6, 6, 2}, per_tensor(0.01f, 0));
  const int32_t w = b.add_constant("w", kTmInt8, {1, 3, 3, 4}, pattern(36, 9),
                                   per_channel({1, 2, 3, 4}, 3));
  const int32_t bias = b.add_constant(
      "b", kTmInt64, {4}, to_bytes(std::vector<int64_t>{1, -2, 3, -4}));
  const int32_t out =
      b.add_tensor("out", kTmInt16, {1, 2, 2, 4}, per_tensor(0.02f, 0));
  b.add_op(depthwise_conv2d_attrs(kTmPaddingValid, 1, 1, 2, kTmActRelu, 2, 2),
           {in, w, bias}, {out});
  b.mark_output(out);
  return std::move(b).build();
}

Graph transpose_conv_graph() {
  GraphBuilder b;
  const int32_t shape =
      b.add_constant("shape", kTmInt32, {4}, i32_bytes({1, 4, 4, 2}));
  const int32_t w =
      b.add_constant("w", kTmFloat32, {2, 3, 3, 3}, pattern(216, 4));
  const int32_t in = b.add_input("in", kTmFloat32, {1, 2, 2, 3});
  const int32_t out = b.add_tensor("out", kTmFloat32, {1, 4, 4, 2});
  b.add_op(transpose_conv_attrs(kTmPaddingSame, 2, 2), {shape, w, in, -1},
           {out});
  b.mark_output(out);
  return std::move(b).build();
}

Graph fully_connected_graph() {
  GraphBuilder b;
  const int32_t in = b.add_input("in", kTmFloat32, {2, 3, 4});
  const int32_t w = b.add_constant("w", kTmFloat32, {5, 4}, pattern(80, 2));
  const int32_t out = b.add_tensor("out", kTmFloat32, {2, 3, 5});
  b.add_op(fully_connected_attrs(kTmActReluN1To1, true), {in, w, -1}, {out});
  b.mark_output(out);
  b.set_description("fully connected, keep_num_dims");
  b.add_metadata("min_runtime_version", pattern(16, 3));
  b.add_metadata("empty", {});
  return std::move(b).build();
}

Graph pool_graph(TmBuiltinOp op) {
  GraphBuilder b;
  const int32_t in =
      b.add_input("in", kTmInt8, {1, 4, 4, 3}, per_tensor(0.5f, 1));
  const int32_t out =
      b.add_tensor("out", kTmInt8, {1, 2, 2, 3}, per_tensor(0.5f, 1));
  b.add_op(pool2d_attrs(op, kTmPaddingValid, 2, 2, 3, 2, kTmActRelu), {in},
           {out});
  b.mark_output(out);
  return std::move(b).build();
}

Graph binary_graph(const TmOpAttrs& attrs, TmType type) {
  GraphBuilder b;
  const int32_t x = b.add_input("x", type, {1, 3, 4}, per_tensor(0.5f, 0));
  const int32_t y = b.add_constant(
      "y", type, {4}, pattern(4 * tm_type_size(type), 5), per_tensor(0.25f, 0));
  const int32_t out = b.add_tensor("out", type, {1, 3, 4}, per_tensor(1, 0));
  b.add_op(attrs, {x, y}, {out}, 2);
  b.mark_output(out);
  return std::move(b).build();
}

// Operators with one input and one output of the same shape.
Graph unary_graph(const TmOpAttrs& attrs, TmType in_type, TmType out_type) {
  GraphBuilder b;
  const int32_t in = b.add_input("in", in_type, {1, 10}, per_tensor(0.1f, -2));
  const Quantization out_quant =
      out_type == kTmFloat32 ? Quantization{} : per_tensor(1.0f / 256, -128);
  const int32_t out = b.add_tensor("out", out_type, {1, 10}, out_quant);
  b.add_op(attrs, {in}, {out});
  b.mark_output(out);
  return std::move(b).build();
}

Graph float_unary_graph(const TmOpAttrs& attrs) {
  GraphBuilder b;
  const int32_t in = b.add_input("in", kTmFloat32, {2, 5});
  const int32_t out = b.add_tensor("out", kTmFloat32, {2, 5});
  b.add_op(attrs, {in}, {out});
  b.mark_output(out);
  return std::move(b).build();
}

Graph prelu_graph() {
  GraphBuilder b;
  const int32_t in = b.add_input("in", kTmFloat32, {1, 2, 2, 3});
  const int32_t alpha = b.add_constant(
      "alpha", kTmFloat32, {3}, to_bytes(std::vector<float>{0.1f, 0.2f, 0.3f}));
  const int32_t out = b.add_tensor("out", kTmFloat32, {1, 2, 2, 3});
  b.add_op(attrs_of(kTmOpPrelu), {in, alpha}, {out});
  b.mark_output(out);
  return std::move(b).build();
}

Graph concatenation_graph() {
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmFloat32, {1, 2, 2, 3});
  const int32_t y = b.add_input("y", kTmFloat32, {1, 2, 2, 5});
  const int32_t out = b.add_tensor("out", kTmFloat32, {1, 2, 2, 8});
  b.add_op(concatenation_attrs(3, kTmActNone), {x, y}, {out});
  b.mark_output(out);
  return std::move(b).build();
}

// Operators taking a data input and one int32 constant (shape, axes,
// permutation, paddings) that give out_shape.
Graph shaped_graph(const TmOpAttrs& attrs, std::vector<int32_t> in_shape,
                   std::vector<int32_t> param_shape, std::vector<int32_t> param,
                   std::vector<int32_t> out_shape) {
  GraphBuilder b;
  const int32_t in =
      b.add_input("in", kTmInt8, std::move(in_shape), per_tensor(0.5f, 3));
  const int32_t p = b.add_constant("param", kTmInt32, std::move(param_shape),
                                   i32_bytes(std::move(param)));
  const int32_t out =
      b.add_tensor("out", kTmInt8, std::move(out_shape), per_tensor(0.5f, 3));
  b.add_op(attrs, {in, p}, {out});
  b.mark_output(out);
  return std::move(b).build();
}

Graph pad_v2_graph() {
  GraphBuilder b;
  const int32_t in =
      b.add_input("in", kTmInt8, {1, 2, 2, 1}, per_tensor(0.5f, 3));
  const int32_t pads = b.add_constant("pads", kTmInt32, {4, 2},
                                      i32_bytes({0, 0, 1, 1, 2, 2, 0, 0}));
  const int32_t value =
      b.add_constant("value", kTmInt8, {}, {0x85}, per_tensor(0.5f, 3));
  const int32_t out =
      b.add_tensor("out", kTmInt8, {1, 4, 6, 1}, per_tensor(0.5f, 3));
  b.add_op(attrs_of(kTmOpPadV2), {in, pads, value}, {out});
  b.mark_output(out);
  return std::move(b).build();
}

Graph squeeze_graph() {
  GraphBuilder b;
  const int32_t in = b.add_input("in", kTmFloat32, {1, 3, 1, 4});
  const int32_t out = b.add_tensor("out", kTmFloat32, {3, 4});
  b.add_op(squeeze_attrs({0, 2}), {in}, {out});
  b.mark_output(out);
  return std::move(b).build();
}

Graph strided_slice_graph() {
  GraphBuilder b;
  const int32_t in = b.add_input("in", kTmFloat32, {4, 6});
  const int32_t begin =
      b.add_constant("begin", kTmInt32, {2}, i32_bytes({1, 0}));
  const int32_t end = b.add_constant("end", kTmInt32, {2}, i32_bytes({3, 6}));
  const int32_t strides =
      b.add_constant("strides", kTmInt32, {2}, i32_bytes({1, 2}));
  const int32_t out = b.add_tensor("out", kTmFloat32, {4, 3});
  b.add_op(strided_slice_attrs(1, 2, 0, 0, 0), {in, begin, end, strides},
           {out});
  b.mark_output(out);
  return std::move(b).build();
}

Graph svdf_graph() {
  GraphBuilder b;
  const int32_t in = b.add_input("in", kTmInt8, {2, 3}, per_tensor(0.1f, 1));
  const int32_t wf = b.add_constant("feature", kTmInt8, {8, 3}, pattern(24, 7),
                                    per_tensor(0.01f, 0));
  const int32_t wt = b.add_constant("time", kTmInt16, {8, 5}, pattern(80, 8),
                                    per_tensor(0.001f, 0));
  const int32_t bias =
      b.add_constant("bias", kTmInt32, {4}, i32_bytes({1, 2, 3, 4}));
  const int32_t state =
      b.add_variable("state", kTmInt16, {2, 40}, per_tensor(0.002f, 0));
  const int32_t out =
      b.add_tensor("out", kTmInt8, {2, 4}, per_tensor(0.05f, -1));
  b.add_op(svdf_attrs(2, kTmActRelu), {in, wf, wt, bias, state}, {out}, 4);
  b.mark_output(out);
  return std::move(b).build();
}

Graph lstm_graph() {
  GraphBuilder b;
  constexpr int32_t kInput = 2, kCell = 4;
  const int32_t in = b.add_input("in", kTmFloat32, {1, 3, kInput});
  std::vector<int32_t> inputs = {in};
  for (int i = 0; i < 4; ++i) {  // input-to-gate weights
    inputs.push_back(b.add_constant("wi" + std::to_string(i), kTmFloat32,
                                    {kCell, kInput}, pattern(32, 10 + i)));
  }
  for (int i = 0; i < 4; ++i) {  // recurrent weights
    inputs.push_back(b.add_constant("wr" + std::to_string(i), kTmFloat32,
                                    {kCell, kCell}, pattern(64, 20 + i)));
  }
  inputs.insert(inputs.end(), {-1, -1, -1});  // no peephole
  for (int i = 0; i < 4; ++i) {               // gate biases
    inputs.push_back(b.add_constant("bias" + std::to_string(i), kTmFloat32,
                                    {kCell}, pattern(16, 30 + i)));
  }
  inputs.insert(inputs.end(), {-1, -1});  // no projection
  inputs.push_back(b.add_variable("output_state", kTmFloat32, {1, kCell}));
  inputs.push_back(b.add_variable("cell_state", kTmFloat32, {1, kCell}));
  inputs.insert(inputs.end(), {-1, -1, -1, -1});  // no layer norm
  const int32_t out = b.add_tensor("out", kTmFloat32, {1, 3, kCell});
  b.add_op(lstm_attrs(kTmActTanh, 10.0f, 0.0f, false), inputs, {out});
  b.mark_output(out);
  return std::move(b).build();
}

struct Case {
  std::string name;
  std::function<Graph()> make;
};

std::vector<Case> builder_cases() {
  return {
      {"conv", conv_graph},
      {"depthwise", depthwise_graph},
      {"transpose_conv", transpose_conv_graph},
      {"fully_connected", fully_connected_graph},
      {"average_pool", [] { return pool_graph(kTmOpAveragePool2d); }},
      {"max_pool", [] { return pool_graph(kTmOpMaxPool2d); }},
      {"add",
       [] {
         return binary_graph(elementwise_attrs(kTmOpAdd, kTmActRelu), kTmInt8);
       }},
      {"sub_int16",
       [] {
         TmOpAttrs attrs = elementwise_attrs(kTmOpSub, kTmActNone);
         attrs.u.elementwise.pot_scale_int16 = 0;
         return binary_graph(attrs, kTmInt16);
       }},
      {"mul",
       [] {
         return binary_graph(elementwise_attrs(kTmOpMul, kTmActRelu6), kTmInt8);
       }},
      {"softmax",
       [] { return unary_graph(softmax_attrs(0.5f), kTmInt8, kTmInt8); }},
      {"logistic",
       [] { return unary_graph(attrs_of(kTmOpLogistic), kTmInt8, kTmInt8); }},
      {"tanh",
       [] { return unary_graph(attrs_of(kTmOpTanh), kTmInt8, kTmInt8); }},
      {"relu",
       [] { return unary_graph(attrs_of(kTmOpRelu), kTmInt8, kTmInt8); }},
      {"relu6",
       [] { return unary_graph(attrs_of(kTmOpRelu6), kTmInt8, kTmInt8); }},
      {"hard_swish",
       [] { return unary_graph(attrs_of(kTmOpHardSwish), kTmInt8, kTmInt8); }},
      {"leaky_relu",
       [] { return unary_graph(leaky_relu_attrs(0.2f), kTmInt8, kTmInt8); }},
      {"quantize",
       [] { return unary_graph(attrs_of(kTmOpQuantize), kTmInt16, kTmInt8); }},
      {"dequantize",
       [] {
         return unary_graph(attrs_of(kTmOpDequantize), kTmInt8, kTmFloat32);
       }},
      {"float_relu", [] { return float_unary_graph(attrs_of(kTmOpRelu)); }},
      {"prelu", prelu_graph},
      {"concatenation", concatenation_graph},
      {"reshape",
       [] {
         return shaped_graph(attrs_of(kTmOpReshape), {1, 2, 3}, {2}, {3, 2},
                             {3, 2});
       }},
      {"transpose",
       [] {
         return shaped_graph(attrs_of(kTmOpTranspose), {1, 2, 3}, {3},
                             {0, 2, 1}, {1, 3, 2});
       }},
      {"expand_dims",
       [] {
         return shaped_graph(attrs_of(kTmOpExpandDims), {2, 3}, {1}, {0},
                             {1, 2, 3});
       }},
      {"pad",
       [] {
         return shaped_graph(attrs_of(kTmOpPad), {1, 2, 2, 1}, {4, 2},
                             {0, 0, 1, 1, 1, 1, 0, 0}, {1, 4, 4, 1});
       }},
      {"mean",
       [] {
         return shaped_graph(mean_attrs(true), {1, 4, 4, 8}, {2}, {1, 2},
                             {1, 1, 1, 8});
       }},
      {"pad_v2", pad_v2_graph},
      {"squeeze", squeeze_graph},
      {"strided_slice", strided_slice_graph},
      {"svdf", svdf_graph},
      {"lstm", lstm_graph},
  };
}

TEST(WriterRoundTripTest, BuilderGraphsOfEveryOperator) {
  for (const Case& c : builder_cases()) expect_round_trip(c.make(), c.name);
}

TEST(WriterRoundTripTest, ReadBackAttributesAreTheWrittenOnes) {
  // Equality above goes through attrs_equal; spell a few values out too.
  Expected<std::vector<uint8_t>> bytes = write_model(depthwise_graph());
  ASSERT_TRUE(bytes);
  Expected<Graph> graph = read_model(*bytes);
  ASSERT_TRUE(graph) << graph.status().message();
  const TmDepthwiseConvAttrs& d = graph->operators[0].attrs.u.depthwise;
  EXPECT_EQ(d.padding, kTmPaddingValid);
  EXPECT_EQ(d.depth_multiplier, 2);
  EXPECT_EQ(d.dilation_w, 2);
  EXPECT_EQ(d.activation, kTmActRelu);
  EXPECT_EQ(graph->tensors[1].quantization.quantized_dimension, 3);
  EXPECT_EQ(graph->tensors[2].type, kTmInt64);
}

TEST(WriterTest, OutputIsAVerifiedFlatbufferWithAlignedBuffers) {
  for (const Case& c : builder_cases()) {
    Expected<std::vector<uint8_t>> bytes = write_model(c.make());
    ASSERT_TRUE(bytes) << c.name;
    flatbuffers::Verifier verifier(bytes->data(), bytes->size());
    EXPECT_TRUE(tflite::VerifyModelBuffer(verifier)) << c.name;
    const tflite::Model* model = tflite::GetModel(bytes->data());
    EXPECT_EQ(model->version(), 3u);
    ASSERT_GE(model->buffers()->size(), 1u);
    EXPECT_EQ(model->buffers()->Get(0)->data(), nullptr) << "sentinel";
    for (const tflite::Buffer* buffer : *model->buffers()) {
      if (!buffer->data()) continue;
      const auto offset = buffer->data()->Data() - bytes->data();
      EXPECT_EQ(offset % 16, 0) << c.name;
    }
  }
}

TEST(WriterTest, OperatorCodesAreSharedPerCodeAndVersion) {
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmFloat32, {4});
  const int32_t y = b.add_tensor("y", kTmFloat32, {4});
  const int32_t z = b.add_tensor("z", kTmFloat32, {4});
  const int32_t w = b.add_tensor("w", kTmFloat32, {4});
  b.add_op(attrs_of(kTmOpRelu), {x}, {y});
  b.add_op(attrs_of(kTmOpRelu), {y}, {z});
  b.add_op(attrs_of(kTmOpRelu), {z}, {w}, 2);
  b.mark_output(w);
  Expected<std::vector<uint8_t>> bytes = write_model(b.graph());
  ASSERT_TRUE(bytes);
  const tflite::Model* model = tflite::GetModel(bytes->data());
  EXPECT_EQ(model->operator_codes()->size(), 2u);
  expect_round_trip(b.graph(), "shared codes");
}

void expect_rejected(const Graph& graph, const std::string& fragment) {
  Expected<std::vector<uint8_t>> bytes = write_model(graph);
  ASSERT_FALSE(bytes) << fragment;
  EXPECT_EQ(bytes.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bytes.status().message().find(fragment), std::string::npos)
      << bytes.status().message();
}

TEST(WriterTest, RejectsGraphsThatCannotBeValidModels) {
  {
    Graph g = conv_graph();
    g.operators[0].inputs[0] = 99;
    expect_rejected(g, "input tensor 99 out of range");
  }
  {
    Graph g = conv_graph();
    g.tensors[1].data.pop_back();
    expect_rejected(g, "constant data has 53 bytes");
  }
  {
    Graph g = conv_graph();
    g.operators[0].attrs.op = kTmOpAdd;
    expect_rejected(g, "attributes are for ADD");
  }
  {
    Graph g = conv_graph();
    g.operators[0].builtin_code = static_cast<TmBuiltinOp>(42);
    g.operators[0].attrs.op = g.operators[0].builtin_code;
    expect_rejected(g, "not one tierml writes");
  }
  {
    Graph g = conv_graph();
    g.tensors[0].quantization.zero_points.clear();
    expect_rejected(g, "1 quantization scales but 0 zero points");
  }
  {
    Graph g = conv_graph();
    g.outputs.push_back(-1);
    expect_rejected(g, "graph output -1 out of range");
  }
}

}  // namespace
}  // namespace tierml::model
