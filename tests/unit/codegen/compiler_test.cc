// The code generator on small models built in the test: what it writes,
// what it refuses and how, and that the generated C, built with its own
// Makefile, gives the device interpreter's bytes for operators the golden
// models do not cover (the interpreter's glue is the second implementation
// the generated calls are checked against).
#include "codegen/compiler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <set>

#include "codegen_test_support.h"
#include "kernels/conv.h"
#include "kernels/relu.h"
#include "model/graph_builder.h"

namespace tierml::codegen {
namespace {

using model::GraphBuilder;
using model::per_tensor;
using model::to_bytes;
using testing::TempDir;

const GeneratedFile* find_file(const CompiledModel& c, const std::string& p) {
  for (const GeneratedFile& f : c.files) {
    if (f.path == p) return &f;
  }
  return nullptr;
}

// int8 CONV_2D (SAME) + RELU, weights with a long tensor name.
model::Graph conv_relu_model() {
  GraphBuilder b;
  const int32_t in =
      b.add_input("input_image", kTmInt8, {1, 5, 5, 2}, per_tensor(0.5f, -3));
  std::vector<int8_t> w(3 * 3 * 3 * 2);
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = static_cast<int8_t>(i * 7 % 23 - 11);
  const int32_t filter =
      b.add_constant("very_descriptive_weight_tensor_name", kTmInt8,
                     {3, 3, 3, 2}, to_bytes(w), per_tensor(0.02f, 0));
  const int32_t bias = b.add_constant(
      "bias_tensor_name_here", kTmInt32, {3},
      to_bytes(std::vector<int32_t>{100, -200, 300}), per_tensor(0.01f, 0));
  const int32_t conv =
      b.add_tensor("conv_out", kTmInt8, {1, 5, 5, 3}, per_tensor(0.25f, 2));
  const int32_t out =
      b.add_tensor("relu_out", kTmInt8, {1, 5, 5, 3}, per_tensor(0.25f, -128));
  b.add_op(model::conv2d_attrs(kTmPaddingSame, 1, 1), {in, filter, bias},
           {conv});
  b.add_op(model::attrs_of(kTmOpRelu), {conv}, {out});
  b.mark_output(out);
  return std::move(b).build();
}

TEST(Compiler, WritesTheModelItsKernelsAndBuildFiles) {
  auto compiled = testing::compile_graph(conv_relu_model(), "tiny");
  ASSERT_TRUE(compiled) << compiled.status().message();
  for (const char* path :
       {"tiny.h", "tiny.c", "tiny_host.c", "Makefile", "CMakeLists.txt",
        "runtime/kernels/conv.cc", "runtime/kernels/relu.cc",
        "runtime/include/tierml/tensor.h",
        // The x86 path beside its header, so x86 hosts link the project.
        "runtime/kernels/x86/conv_avx2.cc",
        "runtime/kernels/x86/cpu_features.cc"}) {
    EXPECT_NE(find_file(*compiled, path), nullptr) << path;
  }
  EXPECT_NE(find_file(*compiled, "Makefile")
                ->content.find("build/host/kernels/x86/conv_avx2.o"),
            std::string::npos);
  // Only the kernels this model calls (and what they need).
  EXPECT_EQ(find_file(*compiled, "runtime/kernels/lstm.cc"), nullptr);
  EXPECT_EQ(find_file(*compiled, "runtime/kernels/softmax.cc"), nullptr);
  const std::string& c = find_file(*compiled, "tiny.c")->content;
  EXPECT_NE(c.find("/* node 0: CONV_2D"), std::string::npos);
  EXPECT_NE(c.find("tm_conv_s8(&n0_params"), std::string::npos);
  EXPECT_NE(c.find("tm_relu_s8(&n1_params"), std::string::npos);
  // Folded at compile time: multipliers, shifts and the folded bias.
  EXPECT_NE(c.find("n0_multipliers"), std::string::npos);
  EXPECT_NE(c.find("n0_folded_bias"), std::string::npos);
  // No names, no heap, no flatbuffer.
  for (const GeneratedFile& f : compiled->files) {
    if (f.path.rfind("runtime/", 0) == 0) continue;
    EXPECT_EQ(f.content.find("very_descriptive"), std::string::npos) << f.path;
    EXPECT_EQ(f.content.find("malloc"), std::string::npos) << f.path;
  }
  const std::string& h = find_file(*compiled, "tiny.h")->content;
  EXPECT_NE(h.find("#define tiny_INPUT0_SHAPE {1, 5, 5, 2}"),
            std::string::npos);
  EXPECT_NE(h.find("#define tiny_INPUT0_ZERO_POINT -3"), std::string::npos);
  EXPECT_NE(h.find("#define tiny_OUTPUT0_SCALE 0.25f"), std::string::npos);
  EXPECT_NE(h.find("int tiny_invoke(const int8_t* input0, int8_t* output0);"),
            std::string::npos);
  EXPECT_NE(h.find("tiny_invoke_with_arena(void* arena"), std::string::npos);
  EXPECT_EQ(h.find("tiny_init"), std::string::npos);  // stateless
  ASSERT_EQ(compiled->layers.size(), 2u);
  EXPECT_EQ(compiled->layers[0].op, "CONV_2D");
  EXPECT_EQ(compiled->layers[0].macs, 5 * 5 * 3 * 3 * 3 * 2);
  // Constants: the 54 weights, 12 bias bytes (read at the padded border),
  // three 3-entry int32 arrays and the two params structs.
  EXPECT_EQ(compiled->weight_bytes, 54 + 12);
  EXPECT_EQ(compiled->constant_bytes,
            54 + 12 + 3 * 12 + static_cast<int64_t>(sizeof(TmConvParams)) +
                static_cast<int64_t>(sizeof(TmReluParams)));
}

TEST(Compiler, RefusesWhatTheInterpreterRefusesNamingTheNode) {
  GraphBuilder b;
  const int32_t in = b.add_input("x", kTmInt32, {1, 4, 4, 1});
  const int32_t filter = b.add_constant("w", kTmInt32, {1, 1, 1, 1},
                                        to_bytes(std::vector<int32_t>{1}));
  const int32_t out = b.add_tensor("y", kTmInt32, {1, 4, 4, 1});
  b.add_op(model::conv2d_attrs(kTmPaddingValid, 1, 1), {in, filter, -1}, {out});
  b.mark_output(out);
  const model::Graph g = std::move(b).build();
  auto compiled = testing::compile_graph(g, "bad");
  ASSERT_FALSE(compiled);
  EXPECT_EQ(compiled.status().code(), ErrorCode::kUnsupported);
  EXPECT_EQ(compiled.status().message().rfind("node 0 (CONV_2D): ", 0), 0u)
      << compiled.status().message();
}

TEST(Compiler, RejectsBadNamesAndIncompletePlans) {
  const model::Graph g = conv_relu_model();
  auto plan = plan::plan_memory(g);
  ASSERT_TRUE(plan) << plan.status().message();
  CompileOptions options;
  options.name = "not-an-identifier";
  auto bad_name = compile_model(g, *plan, options);
  ASSERT_FALSE(bad_name);
  EXPECT_EQ(bad_name.status().code(), ErrorCode::kInvalidArgument);

  // A plan that lost a buffer is refused, never emitted with a wild offset.
  options.name = "m";
  plan::Plan broken = *plan;
  ASSERT_FALSE(broken.buffers.empty());
  broken.buffers.pop_back();
  auto compiled = compile_model(g, broken, options);
  ASSERT_FALSE(compiled);
  EXPECT_NE(compiled.status().code(), ErrorCode::kOk);
}

TEST(Compiler, ReportsAnUnwritableFolder) {
  auto compiled = testing::compile_graph(conv_relu_model(), "m");
  ASSERT_TRUE(compiled);
  TempDir tmp("unwritable");
  const auto file = tmp.path() / "plain_file";
  { std::ofstream(file) << "x"; }
  const Status s = write_compiled_model((file / "sub").string(), *compiled);
  EXPECT_EQ(s.code(), ErrorCode::kIoError);
  EXPECT_NE(s.message().find("folder you can write to"), std::string::npos);
}

// Float operators the golden models lack, chained.
model::Graph float_chain() {
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmFloat32, {1, 4, 4, 3});
  auto cf = [&](std::vector<int32_t> shape, std::vector<float> v) {
    return b.add_constant("c", kTmFloat32, std::move(shape), to_bytes(v));
  };
  auto ci = [&](std::vector<int32_t> shape, std::vector<int32_t> v) {
    return b.add_constant("i", kTmInt32, std::move(shape), to_bytes(v));
  };
  auto t = [&](std::vector<int32_t> shape) {
    return b.add_tensor("t", kTmFloat32, std::move(shape));
  };
  const int32_t t1 = t({1, 4, 4, 3}), t2 = t({1, 2, 2, 3}),
                t3 = t({1, 2, 2, 3}), t4 = t({1, 2, 2, 3}),
                t5 = t({1, 3, 2, 2}), t6 = t({3, 4}), t7 = t({3, 8}),
                t8 = t({3}), t9 = t({1, 3}), t10 = t({1, 3}), t11 = t({1, 3}),
                t12 = t({1, 3}), t13 = t({1, 6});
  b.add_op(model::elementwise_attrs(kTmOpMul),
           {x, cf({3}, {0.5f, -1.5f, 2.0f})}, {t1});
  b.add_op(model::pool2d_attrs(kTmOpMaxPool2d, kTmPaddingValid, 2, 2, 2, 2),
           {t1}, {t2});
  b.add_op(model::attrs_of(kTmOpRelu6), {t2}, {t3});
  b.add_op(model::attrs_of(kTmOpTanh), {t3}, {t4});
  b.add_op(model::attrs_of(kTmOpTranspose), {t4, ci({4}, {0, 3, 1, 2})}, {t5});
  b.add_op(model::attrs_of(kTmOpReshape), {t5, ci({2}, {3, 4})}, {t6});
  std::vector<float> k(12);
  for (size_t i = 0; i < k.size(); ++i)
    k[i] = 0.25f * static_cast<float>(i) - 1;
  b.add_op(model::concatenation_attrs(1), {t6, cf({3, 4}, k)}, {t7});
  b.add_op(model::mean_attrs(false), {t7, ci({1}, {1})}, {t8});
  b.add_op(model::attrs_of(kTmOpExpandDims), {t8, ci({1}, {0})}, {t9});
  b.add_op(model::attrs_of(kTmOpPrelu), {t9, cf({3}, {0.1f, 0.2f, 0.3f})},
           {t10});
  b.add_op(model::attrs_of(kTmOpHardSwish), {t10}, {t11});
  b.add_op(model::attrs_of(kTmOpLogistic), {t11}, {t12});
  b.add_op(model::attrs_of(kTmOpPadV2),
           {t12, ci({2, 2}, {0, 0, 1, 2}), cf({}, {-7.5f})}, {t13});
  b.mark_output(t13);
  return std::move(b).build();
}

// Quantized operators the golden models lack, chained; scales chosen so
// that random inputs stay inside every range.
model::Graph int8_chain() {
  GraphBuilder b;
  const int32_t x =
      b.add_input("x", kTmInt8, {1, 4, 4, 4}, per_tensor(0.02f, 0));
  auto t = [&](std::vector<int32_t> shape, float scale, int64_t zp) {
    return b.add_tensor("t", kTmInt8, std::move(shape), per_tensor(scale, zp));
  };
  const int32_t t1 = t({1, 2, 2, 4}, 0.02f, 0);
  const int32_t t2 = t({1, 2, 2, 4}, 0.02f, 0);
  const int32_t t3 = t({1, 2, 2, 4}, 0.02f, -128);
  const int32_t t4 = t({1, 2, 2, 4}, 0.02f, -28);
  const int32_t t5 = t({2, 2, 4}, 0.02f, -28);
  const int32_t t6 = t({4}, 0.02f, -50);
  const int32_t t7 = t({4}, 1.0f / 256, -128);
  const int32_t t8 = t({4}, 1.0f / 128, 0);
  const int32_t t9 = t({4}, 1.0f / 256, -100);
  const int32_t out = b.add_tensor("y", kTmFloat32, {4});
  b.add_op(model::pool2d_attrs(kTmOpMaxPool2d, kTmPaddingValid, 2, 2, 2, 2),
           {x}, {t1});
  const int32_t alpha = b.add_constant(
      "alpha", kTmInt8, {4}, to_bytes(std::vector<int8_t>{10, -20, 30, 127}),
      per_tensor(0.01f, 0));
  b.add_op(model::attrs_of(kTmOpPrelu), {t1, alpha}, {t2});
  b.add_op(model::attrs_of(kTmOpRelu), {t2}, {t3});
  b.add_op(model::attrs_of(kTmOpHardSwish), {t3}, {t4});
  b.add_op(model::squeeze_attrs({0}), {t4}, {t5});
  b.add_op(model::mean_attrs(false),
           {t5, b.add_constant("axes", kTmInt32, {2},
                               to_bytes(std::vector<int32_t>{0, 1}))},
           {t6});
  b.add_op(model::attrs_of(kTmOpLogistic), {t6}, {t7});
  b.add_op(model::attrs_of(kTmOpTanh), {t7}, {t8});
  b.add_op(model::elementwise_attrs(kTmOpMul), {t8, t8}, {t9});
  b.add_op(model::attrs_of(kTmOpDequantize), {t9}, {out});
  b.mark_output(out);
  return std::move(b).build();
}

void expect_same_as_interpreter(const model::Graph& graph,
                                const std::string& name, bool is_float) {
  if (!testing::have_host_toolchain()) {
    GTEST_SKIP() << "make, cc or c++ not installed";
  }
  auto compiled = testing::compile_graph(graph, name);
  ASSERT_TRUE(compiled) << compiled.status().message();
  TempDir dir(name);
  ASSERT_TRUE(write_compiled_model(dir.path().string(), *compiled).is_ok());
  const std::string build = testing::build_generated(dir.path());
  ASSERT_EQ(build, "");
  std::mt19937 rng(11);
  const model::Tensor& in = graph.tensors[static_cast<size_t>(graph.inputs[0])];
  std::set<std::string> distinct;  // the chain must not saturate
  for (int trial = 0; trial < 4; ++trial) {
    std::vector<uint8_t> input(static_cast<size_t>(model::tensor_bytes(in)));
    if (in.type == kTmFloat32) {
      std::uniform_real_distribution<float> value(-4.0f, 4.0f);
      for (size_t i = 0; i < input.size(); i += 4) {
        const float v = value(rng);
        std::memcpy(input.data() + i, &v, 4);
      }
    } else {
      for (uint8_t& byte : input) byte = static_cast<uint8_t>(rng());
    }
    auto want = testing::run_interpreter(graph, input);
    ASSERT_TRUE(want) << want.status().message();
    auto got = testing::run_harness(dir.path(), name, input);
    ASSERT_TRUE(got.has_value());
    ASSERT_EQ(got->size(), want->size());
    distinct.insert(std::string(want->begin(), want->end()));
    if (!is_float) {
      EXPECT_EQ(*got, *want) << "trial " << trial;
      continue;
    }
    for (size_t i = 0; i < got->size(); i += 4) {
      float a, b;
      std::memcpy(&a, got->data() + i, 4);
      std::memcpy(&b, want->data() + i, 4);
      EXPECT_NEAR(a, b, 1e-6 + 1e-5 * std::fabs(b)) << "element " << i / 4;
    }
  }
  EXPECT_EQ(distinct.size(), 4u) << "different inputs gave equal outputs";
}

TEST(Compiler, FloatOperatorsMatchTheInterpreter) {
  expect_same_as_interpreter(float_chain(), "fchain", true);
}

TEST(Compiler, QuantizedOperatorsMatchTheInterpreter) {
  // The output is dequantized, so equal bytes mean equal int8 results.
  expect_same_as_interpreter(int8_chain(), "qchain", false);
}

}  // namespace
}  // namespace tierml::codegen
