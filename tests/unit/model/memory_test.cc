// Weight, activation and arena-estimate figures on graphs small enough to
// add up by hand.
#include "model/memory.h"

#include <gtest/gtest.h>

#include "model/graph_builder.h"

namespace tierml::model {
namespace {

TEST(MemoryTest, ChainFreesEachActivationAfterItsLastReader) {
  GraphBuilder b;
  const int32_t in = b.add_input("in", kTmFloat32, {1, 100});  // 400 B
  const int32_t w =
      b.add_constant("w", kTmInt8, {50, 100}, std::vector<uint8_t>(5000, 1));
  const int32_t a = b.add_tensor("a", kTmFloat32, {1, 50});      // 200 B
  const int32_t out = b.add_tensor("out", kTmFloat32, {1, 50});  // 200 B
  b.add_tensor("unused", kTmFloat32, {1000});
  b.add_op(fully_connected_attrs(), {in, w, -1}, {a});
  b.add_op(attrs_of(kTmOpRelu), {a}, {out});
  b.mark_output(out);
  const MemorySummary m = summarize_memory(b.graph());
  EXPECT_EQ(m.weight_bytes, 5000);
  EXPECT_EQ(m.weight_tensors, 1);
  EXPECT_EQ(m.activation_bytes, 800);
  EXPECT_EQ(m.activation_tensors, 3);
  EXPECT_EQ(m.largest_activation, in);
  EXPECT_EQ(m.largest_activation_bytes, 400);
  // Operator 0 holds in + a (600), operator 1 holds a + out (400).
  EXPECT_EQ(m.arena_estimate_bytes, 600);
  EXPECT_EQ(m.arena_peak_operator, 0);
}

TEST(MemoryTest, SkipConnectionKeepsItsSourceAliveAndStateAlwaysCounts) {
  GraphBuilder b;
  const std::vector<int32_t> shape = {1, 10, 10};  // int32: 400 B each
  const int32_t x = b.add_input("x", kTmInt32, shape);
  const int32_t y = b.add_tensor("y", kTmInt32, shape);
  const int32_t z = b.add_tensor("z", kTmInt32, shape);
  const int32_t out = b.add_tensor("out", kTmInt32, shape);
  b.add_variable("state", kTmInt16, {2, 25});  // 100 B
  b.add_op(attrs_of(kTmOpRelu), {x}, {y});
  b.add_op(attrs_of(kTmOpRelu), {y}, {z});
  b.add_op(elementwise_attrs(kTmOpAdd), {x, z}, {out});
  b.mark_output(out);
  const MemorySummary m = summarize_memory(b.graph());
  EXPECT_EQ(m.state_bytes, 100);
  EXPECT_EQ(m.state_tensors, 1);
  EXPECT_EQ(m.activation_bytes, 1600);
  // Operator 1: x (still needed by the add), y, z; operator 2: x, z, out.
  EXPECT_EQ(m.arena_estimate_bytes, 3 * 400 + 100);
  EXPECT_EQ(m.arena_peak_operator, 1);
}

}  // namespace
}  // namespace tierml::model
