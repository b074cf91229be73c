#include "serve/tensor_codec.h"

#include <gtest/gtest.h>

#include <cstring>

namespace tierml::serve {
namespace {

using nlohmann::json;

TensorSpec spec(TmType type, std::vector<int64_t> shape, size_t elem_size) {
  TensorSpec s;
  s.name = "t";
  s.type = type;
  s.shape = shape;
  s.elements = 1;
  for (int64_t d : shape) s.elements *= static_cast<size_t>(d);
  s.bytes = s.elements * elem_size;
  return s;
}

TEST(TensorCodec, DatatypeNamesRoundTrip) {
  for (TmType t : {kTmBool, kTmUInt8, kTmInt8, kTmInt16, kTmInt32, kTmInt64,
                   kTmFloat32, kTmFloat64}) {
    EXPECT_EQ(datatype_from_name(datatype_name(t)), t);
  }
  EXPECT_EQ(datatype_name(kTmFloat32), "FP32");
  EXPECT_EQ(datatype_name(kTmString), "");
  EXPECT_FALSE(datatype_from_name("FP8"));
}

TEST(TensorCodec, FloatsFlatOrNested) {
  const TensorSpec s = spec(kTmFloat32, {2, 2}, 4);
  auto flat =
      input_from_json(s, "FP32", {2, 2}, json::parse("[1, 2.5, -3, 4]"));
  auto nested =
      input_from_json(s, "FP32", {2, 2}, json::parse("[[1, 2.5], [-3, 4]]"));
  ASSERT_TRUE(flat) << flat.status().message();
  ASSERT_TRUE(nested);
  EXPECT_EQ(*flat, *nested);
  float values[4];
  std::memcpy(values, flat->data(), 16);
  EXPECT_EQ(values[1], 2.5f);
  EXPECT_EQ(values[2], -3.0f);
}

TEST(TensorCodec, IntegerRangesAreChecked) {
  const TensorSpec s = spec(kTmInt8, {3}, 1);
  auto ok = input_from_json(s, "INT8", {3}, json::parse("[-128, 0, 127]"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(static_cast<int8_t>((*ok)[0]), -128);
  for (const char* bad : {"[128, 0, 0]", "[-129, 0, 0]", "[0.5, 0, 0]",
                          "[true, 0, 0]", "[\"1\", 0, 0]"}) {
    auto r = input_from_json(s, "INT8", {3}, json::parse(bad));
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.status().message().find("element 0"), std::string::npos);
  }
  const TensorSpec u = spec(kTmUInt8, {1}, 1);
  EXPECT_FALSE(input_from_json(u, "UINT8", {1}, json::parse("[-1]")));
}

TEST(TensorCodec, Fp32IsQuantizedForQuantizedInputs) {
  TensorSpec s = spec(kTmInt8, {5}, 1);
  s.quantized = true;
  s.scale = 0.5f;
  s.zero_point = -3;
  // x / 0.5, rounded half away from zero, + (-3), saturated to int8.
  auto q = input_from_json(s, "FP32", {5},
                           json::parse("[1.25, -1.25, 0, 1000, -1000]"));
  ASSERT_TRUE(q) << q.status().message();
  const std::vector<int8_t> expected = {3 - 3, -3 - 3, -3, 127, -128};
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_EQ(static_cast<int8_t>((*q)[i]), expected[i]) << i;
  // FP64 is not accepted, and a float model gets no such conversion.
  auto wrong = input_from_json(s, "FP64", {5}, json::parse("[0,0,0,0,0]"));
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.status().message().find("or FP32"), std::string::npos);
  const TensorSpec f = spec(kTmFloat32, {1}, 4);
  EXPECT_FALSE(input_from_json(f, "INT8", {1}, json::parse("[1]")));
}

TEST(TensorCodec, ShapeAndCountMustMatch) {
  const TensorSpec s = spec(kTmFloat32, {1, 4}, 4);
  auto shape = input_from_json(s, "FP32", {4}, json::parse("[1, 2, 3, 4]"));
  ASSERT_FALSE(shape);
  EXPECT_NE(shape.status().message().find("[1, 4]"), std::string::npos);
  auto count = input_from_json(s, "FP32", {1, 4}, json::parse("[1, 2, 3]"));
  ASSERT_FALSE(count);
  EXPECT_NE(count.status().message().find("holds 3 elements"),
            std::string::npos);
  EXPECT_FALSE(input_from_json(s, "FP32", {1, 4}, json::parse("{}")));
}

TEST(TensorCodec, BinaryInputsAreSizeChecked) {
  TensorSpec s = spec(kTmInt8, {4}, 1);
  s.quantized = true;
  s.scale = 0.25f;
  s.zero_point = 0;
  const std::vector<uint8_t> raw = {1, 2, 3, 4};
  auto same = input_from_binary(s, "INT8", {4}, raw);
  ASSERT_TRUE(same);
  EXPECT_EQ(*same, raw);
  EXPECT_FALSE(input_from_binary(s, "INT8", {4}, {raw.data(), 3}));
  const float f[4] = {0.25f, 0.5f, -0.25f, 100.0f};
  auto q = input_from_binary(s, "FP32", {4},
                             {reinterpret_cast<const uint8_t*>(f), sizeof(f)});
  ASSERT_TRUE(q);
  EXPECT_EQ(static_cast<int8_t>((*q)[0]), 1);
  EXPECT_EQ(static_cast<int8_t>((*q)[1]), 2);
  EXPECT_EQ(static_cast<int8_t>((*q)[2]), -1);
  EXPECT_EQ(static_cast<int8_t>((*q)[3]), 127);
  const TensorSpec b = spec(kTmBool, {2}, 1);
  EXPECT_FALSE(input_from_binary(b, "BOOL", {2}, std::vector<uint8_t>{0, 2}));
}

TEST(TensorCodec, OutputsAsJsonAndDequantized) {
  TensorSpec s = spec(kTmInt8, {3}, 1);
  s.quantized = true;
  s.scale = 1.0f / 256;
  s.zero_point = -128;
  const std::vector<uint8_t> bytes = {0x80, 0x00, 0x7f};  // -128, 0, 127
  EXPECT_EQ(output_data_json(s, bytes), json::parse("[-128, 0, 127]"));
  const std::vector<float> real = output_as_float(s, bytes);
  ASSERT_EQ(real.size(), 3u);
  EXPECT_FLOAT_EQ(real[0], 0.0f);
  EXPECT_FLOAT_EQ(real[1], 0.5f);
  EXPECT_FLOAT_EQ(real[2], 255.0f / 256);
}

}  // namespace
}  // namespace tierml::serve
