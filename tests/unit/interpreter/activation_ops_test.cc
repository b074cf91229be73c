// The interpreter glue of SOFTMAX, LOGISTIC, TANH and HARD_SWISH: single-op
// models written with tierml's writer run through the interpreter and give
// the bytes the kernels give when called directly; models TFLite would
// reject fail at load with a message naming the node and the requirement.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "kernels/hard_swish.h"
#include "kernels/logistic.h"
#include "kernels/softmax.h"
#include "kernels/tanh.h"
#include "model/graph.h"
#include "model/writer.h"
#include "runtime_host/host_interpreter.h"

namespace tierml {
namespace {

struct TensorInfo {
  TmType type;
  float scale;  // 0: not quantized
  int32_t zero_point;
};

constexpr int32_t kRows = 3;
constexpr int32_t kDepth = 7;

model::Tensor make_tensor(const TensorInfo& info) {
  model::Tensor t;
  t.type = info.type;
  t.shape = {kRows, kDepth};
  if (info.scale > 0.0f) {
    t.quantization.scales = {info.scale};
    t.quantization.zero_points = {info.zero_point};
  }
  return t;
}

std::vector<uint8_t> single_op_model(TmBuiltinOp op, const TensorInfo& in,
                                     const TensorInfo& out) {
  model::Graph g;
  g.tensors = {make_tensor(in), make_tensor(out)};
  model::Operator node;
  node.builtin_code = op;
  node.inputs = {0};
  node.outputs = {1};
  node.attrs.op = op;
  if (op == kTmOpSoftmax) node.attrs.u.softmax.beta = 0.8f;
  g.operators = {node};
  g.inputs = {0};
  g.outputs = {1};
  auto blob = model::write_model(g);
  EXPECT_TRUE(blob.has_value());
  return blob ? std::move(*blob) : std::vector<uint8_t>();
}

TmTensor kernel_tensor(const TensorInfo& info, const float* scale) {
  TmTensor t = {};
  t.type = info.type;
  t.shape.rank = 2;
  t.shape.dims[0] = kRows;
  t.shape.dims[1] = kDepth;
  if (info.scale > 0.0f) {
    t.quant.count = 1;
    t.quant.scales = scale;
    t.quant.zero_point = info.zero_point;
  }
  return t;
}

std::vector<uint8_t> random_bytes(TmType type, uint32_t seed) {
  std::mt19937 rng(seed);
  const size_t n = kRows * kDepth;
  std::vector<uint8_t> bytes(n * tm_type_size(type));
  if (type == kTmFloat32) {
    std::uniform_real_distribution<float> dist(-8.0f, 8.0f);
    for (size_t i = 0; i < n; ++i) {
      const float v = dist(rng);
      std::memcpy(bytes.data() + 4 * i, &v, 4);
    }
  } else {
    for (auto& b : bytes) b = static_cast<uint8_t>(rng());
  }
  return bytes;
}

// Runs the model through the interpreter.
std::vector<uint8_t> run_model(const std::vector<uint8_t>& blob,
                               const std::vector<uint8_t>& input) {
  auto host = HostInterpreter::load(blob);
  EXPECT_TRUE(host.has_value()) << (host ? "" : host.status().message());
  if (!host) return {};
  EXPECT_TRUE((*host)->set_inputs(input).is_ok());
  EXPECT_TRUE((*host)->invoke().is_ok());
  return (*host)->outputs();
}

// Runs the kernel directly.
std::vector<uint8_t> run_kernel(TmBuiltinOp op, const TensorInfo& in_info,
                                const TensorInfo& out_info,
                                const std::vector<uint8_t>& input) {
  const float in_scale = in_info.scale, out_scale = out_info.scale;
  const TmTensor in = kernel_tensor(in_info, &in_scale);
  const TmTensor out = kernel_tensor(out_info, &out_scale);
  std::vector<uint8_t> result(kRows * kDepth * tm_type_size(out_info.type));
  const void* x = input.data();
  void* y = result.data();
  switch (op) {
    case kTmOpSoftmax: {
      TmSoftmaxAttrs attrs = {0.8f};
      std::vector<int16_t> lut1(TM_SOFTMAX_LUT_ENTRIES),
          lut2(TM_SOFTMAX_LUT_ENTRIES);
      TmSoftmaxParams p;
      EXPECT_EQ(
          tm_softmax_prepare(&attrs, &in, &out, lut1.data(), lut2.data(), &p),
          kTmOk);
      if (in.type == kTmInt8 && out.type == kTmInt8) {
        tm_softmax_s8(&p, static_cast<const int8_t*>(x),
                      static_cast<int8_t*>(y));
      } else if (in.type == kTmInt8) {
        tm_softmax_s8_s16(&p, static_cast<const int8_t*>(x),
                          static_cast<int16_t*>(y));
      } else if (in.type == kTmInt16) {
        tm_softmax_s16(&p, static_cast<const int16_t*>(x),
                       static_cast<int16_t*>(y));
      } else {
        tm_softmax_f32(&p, static_cast<const float*>(x),
                       static_cast<float*>(y));
      }
      break;
    }
    case kTmOpLogistic: {
      TmLogisticParams p;
      EXPECT_EQ(tm_logistic_prepare(&in, &out, &p), kTmOk);
      if (in.type == kTmInt8) {
        tm_logistic_s8(&p, static_cast<const int8_t*>(x),
                       static_cast<int8_t*>(y));
      } else if (in.type == kTmInt16) {
        tm_logistic_s16(&p, static_cast<const int16_t*>(x),
                        static_cast<int16_t*>(y));
      } else {
        tm_logistic_f32(&p, static_cast<const float*>(x),
                        static_cast<float*>(y));
      }
      break;
    }
    case kTmOpTanh: {
      TmTanhParams p;
      EXPECT_EQ(tm_tanh_prepare(&in, &out, &p), kTmOk);
      if (in.type == kTmInt8) {
        tm_tanh_s8(&p, static_cast<const int8_t*>(x), static_cast<int8_t*>(y));
      } else if (in.type == kTmInt16) {
        tm_tanh_s16(&p, static_cast<const int16_t*>(x),
                    static_cast<int16_t*>(y));
      } else {
        tm_tanh_f32(&p, static_cast<const float*>(x), static_cast<float*>(y));
      }
      break;
    }
    default: {
      TmHardSwishParams p;
      EXPECT_EQ(tm_hard_swish_prepare(&in, &out, &p), kTmOk);
      if (in.type == kTmInt8) {
        tm_hard_swish_s8(&p, static_cast<const int8_t*>(x),
                         static_cast<int8_t*>(y));
      } else {
        tm_hard_swish_f32(&p, static_cast<const float*>(x),
                          static_cast<float*>(y));
      }
      break;
    }
  }
  return result;
}

struct GlueCase {
  const char* name;
  TmBuiltinOp op;
  TensorInfo in, out;
};

class ActivationGlueTest : public ::testing::TestWithParam<GlueCase> {};

TEST_P(ActivationGlueTest, InterpreterGivesTheKernelsBytes) {
  const GlueCase& c = GetParam();
  const std::vector<uint8_t> blob = single_op_model(c.op, c.in, c.out);
  ASSERT_FALSE(blob.empty());
  for (uint32_t seed = 0; seed < 4; ++seed) {
    const std::vector<uint8_t> input = random_bytes(c.in.type, seed);
    const std::vector<uint8_t> want = run_kernel(c.op, c.in, c.out, input);
    EXPECT_EQ(run_model(blob, input), want) << c.name << " seed " << seed;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Ops, ActivationGlueTest,
    ::testing::Values(
        GlueCase{"softmax_s8",
                 kTmOpSoftmax,
                 {kTmInt8, 0.1f, 3},
                 {kTmInt8, 1.0f / 256, -128}},
        GlueCase{"softmax_s8_s16",
                 kTmOpSoftmax,
                 {kTmInt8, 0.07f, -2},
                 {kTmInt16, 1.0f / 65536, -32768}},
        GlueCase{"softmax_s16",
                 kTmOpSoftmax,
                 {kTmInt16, 0.0005f, 0},
                 {kTmInt16, 1.0f / 32768, 0}},
        GlueCase{"softmax_f32",
                 kTmOpSoftmax,
                 {kTmFloat32, 0, 0},
                 {kTmFloat32, 0, 0}},
        GlueCase{"logistic_s8",
                 kTmOpLogistic,
                 {kTmInt8, 0.05f, 7},
                 {kTmInt8, 1.0f / 256, -128}},
        GlueCase{"logistic_s16",
                 kTmOpLogistic,
                 {kTmInt16, 1.0f / 4096, 0},
                 {kTmInt16, 1.0f / 32768, 0}},
        GlueCase{"logistic_f32",
                 kTmOpLogistic,
                 {kTmFloat32, 0, 0},
                 {kTmFloat32, 0, 0}},
        GlueCase{"tanh_s8",
                 kTmOpTanh,
                 {kTmInt8, 0.03f, -1},
                 {kTmInt8, 1.0f / 128, 0}},
        GlueCase{"tanh_s16",
                 kTmOpTanh,
                 {kTmInt16, 0.0007f, 0},
                 {kTmInt16, 1.0f / 32768, 0}},
        GlueCase{"tanh_f32", kTmOpTanh, {kTmFloat32, 0, 0}, {kTmFloat32, 0, 0}},
        GlueCase{"hard_swish_s8",
                 kTmOpHardSwish,
                 {kTmInt8, 0.04f, -20},
                 {kTmInt8, 0.03f, -100}},
        GlueCase{"hard_swish_f32",
                 kTmOpHardSwish,
                 {kTmFloat32, 0, 0},
                 {kTmFloat32, 0, 0}}),
    [](const ::testing::TestParamInfo<GlueCase>& info) {
      return std::string(info.param.name);
    });

// Loading fails with the node named and the broken requirement spelled out.
void expect_load_error(TmBuiltinOp op, const TensorInfo& in,
                       const TensorInfo& out, const std::string& fragment) {
  auto host = HostInterpreter::load(single_op_model(op, in, out));
  ASSERT_FALSE(host.has_value());
  const std::string message = host.status().message();
  EXPECT_NE(message.find("node 0"), std::string::npos) << message;
  EXPECT_NE(message.find(fragment), std::string::npos) << message;
}

TEST(ActivationGlueErrorTest, QuantizationTfliteRejectsIsReported) {
  expect_load_error(kTmOpSoftmax, {kTmInt8, 0.1f, 0}, {kTmInt8, 1.0f / 256, 0},
                    "scale 1/256 and zero point -128 (zero point is 0)");
  expect_load_error(kTmOpSoftmax, {kTmInt8, 1e-9f, 0},
                    {kTmInt8, 1.0f / 256, -128}, "must exceed 1");
  expect_load_error(
      kTmOpSoftmax, {kTmInt8, 0.1f, 0}, {kTmInt16, 1.0f / 32768, 0},
      "INT16 output must have scale 1/65536 and zero point -32768 "
      "(zero point is 0)");
  expect_load_error(kTmOpSoftmax, {kTmInt16, 0.1f, 0},
                    {kTmInt8, 1.0f / 256, -128},
                    "INT16 input with INT8 output is not supported");
  expect_load_error(kTmOpLogistic, {kTmInt8, 0.1f, 0}, {kTmInt8, 1.0f / 128, 0},
                    "scale 1/256 and zero point -128");
  expect_load_error(kTmOpTanh, {kTmInt8, 0.1f, 0}, {kTmInt8, 1.0f / 256, -128},
                    "scale 1/128 and zero point 0");
  expect_load_error(kTmOpTanh, {kTmInt16, 0.001f, 5},
                    {kTmInt16, 1.0f / 32768, 0},
                    "zero points 0 (input 5, output 0)");
  expect_load_error(kTmOpHardSwish, {kTmInt8, 1.0f, 0}, {kTmInt8, 0.001f, 0},
                    "below 128");
  expect_load_error(kTmOpHardSwish, {kTmInt16, 0.1f, 0}, {kTmInt16, 0.1f, 0},
                    "INT16 input with INT16 output is not supported");
}

}  // namespace
}  // namespace tierml
