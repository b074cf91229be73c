// MAC counts: hand-computed values for small graphs, and the MLPerf Tiny
// models' totals against the published figures in ../shared/baselines.
#include "model/macs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "model/graph_builder.h"
#include "model/reader.h"
#include "unit/model/golden_models.h"

namespace tierml::model {
namespace {

// Weights' bytes do not matter for MACs; zeros of the right size.
std::vector<uint8_t> zeros(size_t n) { return std::vector<uint8_t>(n, 0); }

TEST(MacsTest, Conv2d) {
  GraphBuilder b;
  const int32_t in = b.add_input("in", kTmFloat32, {1, 8, 8, 3});
  const int32_t w = b.add_constant("w", kTmFloat32, {4, 3, 3, 3}, zeros(432));
  const int32_t out = b.add_tensor("out", kTmFloat32, {1, 8, 8, 4});
  b.add_op(conv2d_attrs(kTmPaddingSame, 1, 1), {in, w, -1}, {out});
  // 8*8 positions * 4 output channels, each 3*3*3 multiply-adds.
  EXPECT_EQ(operator_macs(b.graph(), b.graph().operators[0]), 6912);
}

TEST(MacsTest, StridedConv2dCountsOutputPositionsOnly) {
  GraphBuilder b;
  const int32_t in = b.add_input("in", kTmFloat32, {1, 9, 9, 2});
  const int32_t w = b.add_constant("w", kTmFloat32, {5, 3, 3, 2}, zeros(360));
  const int32_t out = b.add_tensor("out", kTmFloat32, {1, 4, 4, 5});
  b.add_op(conv2d_attrs(kTmPaddingValid, 2, 2), {in, w, -1}, {out});
  // 4*4 positions * 5 channels * (3*3*2) = 80 * 18.
  EXPECT_EQ(operator_macs(b.graph(), b.graph().operators[0]), 1440);
}

TEST(MacsTest, DepthwiseConv2dWithMultiplier) {
  GraphBuilder b;
  const int32_t in = b.add_input("in", kTmFloat32, {1, 8, 8, 3});
  const int32_t w = b.add_constant("w", kTmFloat32, {1, 3, 3, 6}, zeros(216));
  const int32_t out = b.add_tensor("out", kTmFloat32, {1, 8, 8, 6});
  b.add_op(depthwise_conv2d_attrs(kTmPaddingSame, 1, 1, 2), {in, w, -1}, {out});
  // Each of the 8*8*6 outputs sees one 3*3 window of one input channel.
  EXPECT_EQ(operator_macs(b.graph(), b.graph().operators[0]), 3456);
}

TEST(MacsTest, FullyConnectedWithBatch) {
  GraphBuilder b;
  const int32_t in = b.add_input("in", kTmFloat32, {2, 10});
  const int32_t w = b.add_constant("w", kTmFloat32, {5, 10}, zeros(200));
  const int32_t out = b.add_tensor("out", kTmFloat32, {2, 5});
  b.add_op(fully_connected_attrs(), {in, w, -1}, {out});
  EXPECT_EQ(operator_macs(b.graph(), b.graph().operators[0]), 2 * 5 * 10);
}

TEST(MacsTest, TransposeConvCountsEveryInputTimesFilter) {
  GraphBuilder b;
  const int32_t shape = b.add_constant(
      "shape", kTmInt32, {4}, to_bytes(std::vector<int32_t>{1, 8, 8, 3}));
  const int32_t w = b.add_constant("w", kTmFloat32, {3, 3, 3, 2}, zeros(216));
  const int32_t in = b.add_input("in", kTmFloat32, {1, 4, 4, 2});
  const int32_t out = b.add_tensor("out", kTmFloat32, {1, 8, 8, 3});
  b.add_op(transpose_conv_attrs(kTmPaddingSame, 2, 2), {shape, w, in, -1},
           {out});
  // 4*4*2 input values, each scattered over a 3*3 window of 3 channels.
  EXPECT_EQ(operator_macs(b.graph(), b.graph().operators[0]), 864);
}

TEST(MacsTest, SvdfAndLstm) {
  GraphBuilder b;
  const int32_t in = b.add_input("in", kTmFloat32, {2, 3});
  const int32_t wf = b.add_constant("wf", kTmFloat32, {8, 3}, zeros(96));
  const int32_t wt = b.add_constant("wt", kTmFloat32, {8, 5}, zeros(160));
  const int32_t state = b.add_variable("state", kTmFloat32, {2, 40});
  const int32_t out = b.add_tensor("out", kTmFloat32, {2, 4});
  b.add_op(svdf_attrs(2), {in, wf, wt, -1, state}, {out});
  // Per batch: 8 filters over 3 features, then over 5 memory slots.
  EXPECT_EQ(operator_macs(b.graph(), b.graph().operators[0]),
            2 * (8 * 3 + 8 * 5));

  const int32_t seq = b.add_input("seq", kTmFloat32, {1, 3, 2});
  std::vector<int32_t> inputs = {seq};
  for (int i = 0; i < 4; ++i) {
    inputs.push_back(b.add_constant("wi", kTmFloat32, {4, 2}, zeros(32)));
  }
  for (int i = 0; i < 4; ++i) {
    inputs.push_back(b.add_constant("wr", kTmFloat32, {4, 4}, zeros(64)));
  }
  inputs.insert(inputs.end(), {-1, -1, -1, -1, -1, -1, -1, -1, -1});
  const int32_t lstm_out = b.add_tensor("lstm_out", kTmFloat32, {1, 3, 4});
  b.add_op(lstm_attrs(kTmActTanh), inputs, {lstm_out});
  // 3 time steps, each: 4 gates * 4 cells * (2 inputs + 4 recurrent).
  EXPECT_EQ(operator_macs(b.graph(), b.graph().operators[1]),
            3 * 4 * 4 * (2 + 4));
}

TEST(MacsTest, PoolingAndElementwiseCountTheirOwnOperations) {
  GraphBuilder b;
  const int32_t in = b.add_input("in", kTmFloat32, {1, 4, 4, 3});
  const int32_t pooled = b.add_tensor("pooled", kTmFloat32, {1, 2, 2, 3});
  const int32_t sum = b.add_tensor("sum", kTmFloat32, {1, 4, 4, 3});
  const int32_t relu = b.add_tensor("relu", kTmFloat32, {1, 4, 4, 3});
  b.add_op(pool2d_attrs(kTmOpAveragePool2d, kTmPaddingValid, 2, 2, 2, 2), {in},
           {pooled});
  b.add_op(elementwise_attrs(kTmOpAdd), {in, in}, {sum});
  b.add_op(attrs_of(kTmOpRelu), {sum}, {relu});
  const Graph& g = b.graph();
  EXPECT_EQ(operator_macs(g, g.operators[0]), 2 * 2 * 3 * (2 * 2));
  EXPECT_EQ(operator_macs(g, g.operators[1]), 4 * 4 * 3);
  EXPECT_EQ(operator_macs(g, g.operators[2]), 0);
  EXPECT_EQ(total_macs(g), 48 + 48);
}

TEST(MacsTest, InconsistentOperatorCountsZero) {
  GraphBuilder b;
  const int32_t in = b.add_input("in", kTmFloat32, {1, 4, 4, 3});
  const int32_t out = b.add_tensor("out", kTmFloat32, {1, 4, 4, 3});
  b.add_op(conv2d_attrs(kTmPaddingSame, 1, 1), {in, -1, -1}, {out});
  EXPECT_EQ(operator_macs(b.graph(), b.graph().operators[0]), 0);
}

// The MLPerf Tiny models' published MAC figures (three significant digits).
TEST(MacsTest, MlperfTinyTotalsMatchPublishedFigures) {
  const auto baselines = tierml::testing::golden_dir().parent_path() /
                         "baselines" / "tflm_cortex_m4.json";
  if (!std::filesystem::exists(baselines)) {
    GTEST_SKIP() << baselines << " absent (../shared missing)";
  }
  std::ifstream file(baselines);
  const nlohmann::json json = nlohmann::json::parse(file);
  int checked = 0;
  for (const auto& [name, entry] : json["models"].items()) {
    if (!entry.contains("macs")) continue;
    const auto path = tierml::testing::golden_dir() / name / "model.tflite";
    Expected<Graph> graph = read_model_file(path.string());
    ASSERT_TRUE(graph) << name << ": " << graph.status().message();
    const double published = entry["macs"].get<double>();
    const double counted = static_cast<double>(total_macs(*graph));
    EXPECT_LE(std::fabs(counted - published), 0.01 * published)
        << name << ": counted " << counted << ", published " << published;
    ++checked;
  }
  EXPECT_EQ(checked, 4);
}

}  // namespace
}  // namespace tierml::model
