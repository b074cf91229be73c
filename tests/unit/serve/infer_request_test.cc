#include "serve/infer_request.h"

#include <gtest/gtest.h>

#include <cstring>
#include <nlohmann/json.hpp>

namespace tierml::serve {
namespace {

using nlohmann::json;

std::vector<TensorSpec> two_inputs() {
  TensorSpec a{"a", kTmFloat32, {1, 2}, 2, 8};
  TensorSpec b{"b", kTmInt32, {1}, 1, 4};
  return {a, b};
}
std::vector<TensorSpec> two_outputs() {
  TensorSpec y{"y", kTmFloat32, {2}, 2, 8};
  TensorSpec z{"z", kTmInt8, {1}, 1, 1};
  return {y, z};
}

TEST(InferRequest, InputsLandInModelOrderWhateverTheRequestOrder) {
  const std::string body = R"({"id": "7", "inputs": [
      {"name": "b", "datatype": "INT32", "shape": [1], "data": [-9]},
      {"name": "a", "datatype": "FP32", "shape": [1, 2], "data": [0.5, 2]}]})";
  auto r = parse_infer_request(two_inputs(), two_outputs(), body, {});
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->id, "7");
  ASSERT_EQ(r->inputs.size(), 2u);
  float a[2];
  std::memcpy(a, r->inputs[0].data(), 8);
  EXPECT_EQ(a[0], 0.5f);
  int32_t b;
  std::memcpy(&b, r->inputs[1].data(), 4);
  EXPECT_EQ(b, -9);
  EXPECT_EQ(r->outputs, (std::vector<int>{0, 1}));
  EXPECT_EQ(r->binary, (std::vector<bool>{false, false}));
}

TEST(InferRequest, BinaryInputsFollowTheHeaderInListedOrder) {
  const std::string header = R"({"inputs": [
      {"name": "b", "datatype": "INT32", "shape": [1], "parameters": {"binary_data_size": 4}},
      {"name": "a", "datatype": "FP32", "shape": [1, 2], "parameters": {"binary_data_size": 8}}],
      "outputs": [{"name": "z", "parameters": {"binary_data": true}}]})";
  const int32_t b = 123456;
  const float a[2] = {1.5f, -2.0f};
  std::string body = header;
  body.append(reinterpret_cast<const char*>(&b), 4);
  body.append(reinterpret_cast<const char*>(a), 8);
  auto r =
      parse_infer_request(two_inputs(), two_outputs(), body, header.size());
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(std::memcmp(r->inputs[0].data(), a, 8), 0);
  EXPECT_EQ(std::memcmp(r->inputs[1].data(), &b, 4), 0);
  EXPECT_EQ(r->outputs, (std::vector<int>{1}));
  EXPECT_EQ(r->binary, (std::vector<bool>{true}));

  // One byte too many or too few is an error, not a silent truncation.
  auto extra = parse_infer_request(two_inputs(), two_outputs(), body + "x",
                                   header.size());
  ASSERT_FALSE(extra);
  EXPECT_NE(extra.status().message().find("belong to no input"),
            std::string::npos);
  auto short_body =
      parse_infer_request(two_inputs(), two_outputs(),
                          body.substr(0, body.size() - 1), header.size());
  EXPECT_FALSE(short_body);
}

TEST(InferRequest, ResponseCarriesBinaryOutputsAfterTheHeader) {
  InferRequest request;
  request.id = "x1";
  request.outputs = {1, 0};
  request.binary = {true, false};
  const float y[2] = {0.25f, 3.0f};
  std::vector<std::vector<uint8_t>> values(2);
  values[0].assign(reinterpret_cast<const uint8_t*>(y),
                   reinterpret_cast<const uint8_t*>(y) + 8);
  values[1] = {0xfe};  // int8 -2
  InferResponse r =
      encode_infer_response("m", 3, request, two_outputs(), values);
  ASSERT_TRUE(r.header_length);
  const json head = json::parse(r.body.substr(0, *r.header_length));
  EXPECT_EQ(head["id"], "x1");
  EXPECT_EQ(head["model_version"], "3");
  EXPECT_EQ(head["outputs"][0]["name"], "z");
  EXPECT_EQ(head["outputs"][0]["parameters"]["binary_data_size"], 1);
  EXPECT_EQ(head["outputs"][1]["data"], json::parse("[0.25, 3.0]"));
  EXPECT_EQ(r.body.substr(*r.header_length), std::string(1, '\xfe'));
}

TEST(InferRequest, PredictTakesAFlatListAndReportsArgmax) {
  TensorSpec x{"x", kTmFloat32, {1, 3}, 3, 12};
  auto in = parse_predict_request(x, R"({"x": [1, 2, 3]})");
  ASSERT_TRUE(in) << in.status().message();
  EXPECT_FALSE(parse_predict_request(x, R"({"x": [1, 2]})"));
  EXPECT_FALSE(parse_predict_request(x, R"({"x": [1, 2, "3"]})"));
  EXPECT_FALSE(parse_predict_request(x, R"({"y": [1, 2, 3]})"));
  EXPECT_FALSE(parse_predict_request(x, R"([1, 2, 3])"));

  TensorSpec probs{"p", kTmFloat32, {1, 3}, 3, 12};
  const float p[3] = {0.2f, 0.7f, 0.1f};
  const json out = json::parse(encode_predict_response(
      probs, {reinterpret_cast<const uint8_t*>(p),
              reinterpret_cast<const uint8_t*>(p) + 12}));
  EXPECT_EQ(out["pred"], 1);
  EXPECT_EQ(out["proba"].size(), 3u);
  // A single logistic output is P(class 1).
  TensorSpec one{"p", kTmFloat32, {1, 1}, 1, 4};
  const float q = 0.75f;
  const json binary = json::parse(
      encode_predict_response(one, {reinterpret_cast<const uint8_t*>(&q),
                                    reinterpret_cast<const uint8_t*>(&q) + 4}));
  EXPECT_EQ(binary["pred"], 1);
  EXPECT_EQ(binary["proba"], json::parse("[0.25, 0.75]"));
}

}  // namespace
}  // namespace tierml::serve
