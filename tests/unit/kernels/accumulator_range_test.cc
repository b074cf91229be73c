#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "kernels/conv_quant.h"
#include "kernels/fully_connected.h"
#include "model/graph_builder.h"
#include "model/writer.h"
#include "runtime_host/host_interpreter.h"
#include "unit/kernels/conv_test_support.h"

namespace tierml {
namespace {

using testing::QTensor;

// int8: each product is at most 128 * 256 = 32,768 in magnitude, so 3 taps
// leave INT32_MAX - 98,304 = 2,147,385,343 for the bias.
constexpr int64_t kInt8Headroom3Taps = 2147483647 - 3 * 32768;

TEST(AccumulatorRange, Int8BiasAtTheBoundFitsOneMoreDoesNot) {
  QTensor in(kTmInt8, {1, 3});
  std::vector<int32_t> fits = {0, static_cast<int32_t>(kInt8Headroom3Taps),
                               -static_cast<int32_t>(kInt8Headroom3Taps)};
  QTensor bias(kTmInt32, {3});
  bias.data(fits);
  EXPECT_EQ(accumulator_overflow_channel(in.get(), bias.get(), 3, 3, 0, false),
            -1);
  std::vector<int32_t> over = {0, 0,
                               -static_cast<int32_t>(kInt8Headroom3Taps) - 1};
  QTensor bias_over(kTmInt32, {3});
  bias_over.data(over);
  EXPECT_EQ(
      accumulator_overflow_channel(in.get(), bias_over.get(), 3, 3, 0, false),
      2);
}

TEST(AccumulatorRange, FilterZeroPointWidensEachProduct) {
  // With a filter offset of 127 a product reaches 255 * 256 = 65,280.
  QTensor in(kTmInt8, {1, 1});
  std::vector<int32_t> b = {static_cast<int32_t>(2147483647 - 65280)};
  QTensor bias(kTmInt32, {1});
  bias.data(b);
  EXPECT_EQ(
      accumulator_overflow_channel(in.get(), bias.get(), 1, 1, 127, false), -1);
  b[0] += 1;
  QTensor bias_over(kTmInt32, {1});
  bias_over.data(b);
  EXPECT_EQ(
      accumulator_overflow_channel(in.get(), bias_over.get(), 1, 1, 127, false),
      0);
}

TEST(AccumulatorRange, TooManyTapsFailWithoutBias) {
  QTensor in(kTmInt8, {1, 1});
  // 65,535 * 32,768 < 2^31 <= 65,536 * 32,768.
  EXPECT_EQ(accumulator_overflow_channel(in.get(), nullptr, 4, 65535, 0, false),
            -1);
  EXPECT_EQ(accumulator_overflow_channel(in.get(), nullptr, 4, 65536, 0, false),
            0);
}

TEST(AccumulatorRange, Int16WithInt64AccumulatorRejectsOnlyExtremeBiases) {
  QTensor in(kTmInt16, {1, 8});
  std::vector<int64_t> b = {std::numeric_limits<int64_t>::max() / 2,
                            std::numeric_limits<int64_t>::min()};
  QTensor bias(kTmInt64, {2});
  bias.data(b);
  EXPECT_EQ(accumulator_overflow_channel(in.get(), bias.get(), 2, 8, 0, true),
            1);
  // The same int16 input summed in int32 (TFLite's path for an int32 bias)
  // overflows after 512 taps of 128 * 32,768 = 2^22.
  EXPECT_EQ(accumulator_overflow_channel(in.get(), nullptr, 1, 511, 0, false),
            -1);
  EXPECT_EQ(accumulator_overflow_channel(in.get(), nullptr, 1, 512, 0, false),
            0);
}

TEST(AccumulatorRange, BiasOfTheWrongLengthIsLeftToTheShapeChecks) {
  QTensor in(kTmInt8, {1, 3});
  std::vector<int32_t> b = {std::numeric_limits<int32_t>::max()};
  QTensor bias(kTmInt32, {1});
  bias.data(b);
  EXPECT_EQ(accumulator_overflow_channel(in.get(), bias.get(), 2, 3, 0, false),
            -1);
}

TEST(AccumulatorRange, FullyConnectedPrepareRefusesAnOverflowingBias) {
  std::vector<int8_t> w = {1, 1, 1};
  std::vector<int32_t> b = {std::numeric_limits<int32_t>::max()};
  QTensor in(kTmInt8, {1, 3}), f(kTmInt8, {1, 3}), out(kTmInt8, {1, 1}),
      bias(kTmInt32, {1});
  in.quant({1.f}, 0);
  f.quant({1.f}, 0).data(w);
  out.quant({1.f}, 0);
  bias.data(b);
  int32_t m[1], s[1], folded[1];
  TmFullyConnectedParams p;
  const TmFullyConnectedAttrs attrs = {};
  EXPECT_EQ(tm_fully_connected_prepare(&attrs, in.get(), f.get(), bias.get(),
                                       out.get(), m, s, folded, &p),
            kTmErrorUnsupported);
}

// Through the interpreter the refusal names the node and the channel.
TEST(AccumulatorRange, InterpreterNamesTheOverflowingChannel) {
  model::GraphBuilder b;
  const auto q = model::per_tensor(1.0f, 0);
  const int32_t x = b.add_input("x", kTmInt8, {1, 4}, q);
  const int32_t w = b.add_constant(
      "w", kTmInt8, {2, 4}, model::to_bytes(std::vector<int8_t>(8, 1)), q);
  const int32_t bias = b.add_constant(
      "b", kTmInt32, {2}, model::to_bytes(std::vector<int32_t>{7, 2147483000}),
      model::per_tensor(1.0f, 0));
  const int32_t y = b.add_tensor("y", kTmInt8, {1, 2}, q);
  b.add_op(model::fully_connected_attrs(), {x, w, bias}, {y});
  b.mark_output(y);
  auto blob = model::write_model(b.graph());
  ASSERT_TRUE(blob) << blob.status().message();
  auto host = HostInterpreter::load(*blob);
  ASSERT_FALSE(host);
  const std::string message = host.status().message();
  EXPECT_NE(message.find("node 0 (FULLY_CONNECTED)"), std::string::npos)
      << message;
  EXPECT_NE(message.find("output channel 1"), std::string::npos) << message;
}

}  // namespace
}  // namespace tierml
