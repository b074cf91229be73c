// validate_plan on hand-written plans: a correct one it must accept, and
// one broken copy per rule, each rejected with a message naming the rule.
#include <gtest/gtest.h>

#include <string>

#include "model/graph_builder.h"
#include "plan/plan.h"
#include "unit/plan/plan_test_models.h"
#include "unit/plan/shadow_run.h"

namespace tierml::plan {
namespace {

using model::GraphBuilder;

Buffer activation(int32_t tensor, int64_t offset, int64_t bytes, int32_t first,
                  int32_t last, int32_t aliases = -1) {
  Buffer b;
  b.kind = Buffer::Kind::kActivation;
  b.tensor = tensor;
  b.offset = offset;
  b.bytes = bytes;
  b.first_step = first;
  b.last_step = last;
  b.aliases_tensor = aliases;
  return b;
}

void expect_rejected(const model::Graph& g, const Plan& plan,
                     const std::string& why) {
  const Status status = validate_plan(g, plan);
  ASSERT_FALSE(status.is_ok()) << "accepted a plan that should fail: " << why;
  EXPECT_NE(status.message().find(why), std::string::npos)
      << "message: " << status.message();
}

// x (128 B) -> conv -> y (128 B) -> conv -> z (128 B, output).
class TwoConvs : public ::testing::Test {
 protected:
  void SetUp() override {
    GraphBuilder b;
    x_ = b.add_input("x", kTmInt8, {1, 4, 4, 8}, testing::q8());
    y_ = testing::add_conv(b, x_, "y", 4, 4, 8, 8);
    z_ = testing::add_conv(b, y_, "z", 4, 4, 8, 8);
    b.mark_output(z_);
    graph_ = std::move(b).build();
    // By hand: x and y at step 0, y and z at step 1; z reuses x's bytes.
    good_.order = {0, 1};
    good_.alignment = 16;
    good_.arena_bytes = 256;
    good_.buffers = {activation(x_, 0, 128, 0, 0),
                     activation(y_, 128, 128, 0, 1),
                     activation(z_, 0, 128, 1, 1)};
    good_.live_bytes_per_step = {256, 256};
    good_.peak_live_bytes = 256;
  }
  model::Graph graph_;
  Plan good_;
  int32_t x_ = 0, y_ = 0, z_ = 0;
};

TEST_F(TwoConvs, AcceptsTheHandWrittenPlan) {
  const Status status = validate_plan(graph_, good_);
  EXPECT_TRUE(status.is_ok()) << status.message();
  EXPECT_EQ(testing::shadow_run(graph_, good_), "");
}

TEST_F(TwoConvs, RejectsOverlapOfLiveBuffers) {
  Plan bad = good_;
  bad.buffers[1].offset = 0;  // y over x while both live at step 0
  expect_rejected(graph_, bad, "overlap in bytes");
  EXPECT_NE(testing::shadow_run(graph_, bad), "");  // the other oracle agrees
  bad = good_;
  bad.buffers[2].offset = 64;  // z half over y at step 1
  expect_rejected(graph_, bad, "overlap in bytes");
}

TEST_F(TwoConvs, RejectsOutOfBounds) {
  Plan bad = good_;
  bad.arena_bytes = 240;
  expect_rejected(graph_, bad, "out of the arena");
  bad = good_;
  bad.buffers[0].offset = -16;
  expect_rejected(graph_, bad, "negative or not aligned");
}

TEST_F(TwoConvs, RejectsMisalignment) {
  Plan bad = good_;
  bad.arena_bytes = 272;
  bad.buffers[1].offset = 136;
  expect_rejected(graph_, bad, "not aligned");
  bad = good_;
  bad.alignment = 12;
  expect_rejected(graph_, bad, "power of two");
  bad = good_;
  bad.arena_bytes = 260;
  expect_rejected(graph_, bad, "multiple of the alignment");
}

TEST_F(TwoConvs, RejectsBadOrders) {
  Plan bad = good_;
  bad.order = {1, 0};
  expect_rejected(graph_, bad, "not topological");
  bad.order = {0, 0};
  expect_rejected(graph_, bad, "appears twice");
  bad.order = {0};
  expect_rejected(graph_, bad, "steps for 2 operators");
  bad.order = {0, 7};
  expect_rejected(graph_, bad, "out of range");
}

TEST_F(TwoConvs, RejectsMissingOrShortBuffers) {
  Plan bad = good_;
  bad.buffers.pop_back();
  expect_rejected(graph_, bad, "has no buffer");
  bad = good_;
  bad.buffers[1].last_step = 0;  // y is read at step 1
  expect_rejected(graph_, bad, "but used 0..1");
  bad = good_;
  bad.buffers[2].bytes = 100;
  expect_rejected(graph_, bad, "the tensor needs 128");
  bad = good_;
  bad.buffers.push_back(bad.buffers[0]);
  expect_rejected(graph_, bad, "already has buffer");
  bad = good_;
  bad.buffers[1].kind = Buffer::Kind::kState;
  expect_rejected(graph_, bad, "kind does not match");
}

TEST_F(TwoConvs, RejectsIllegalSharing) {
  Plan bad = good_;
  // A convolution reads a window of its input: it may not write over it.
  bad.buffers[2] = activation(z_, 128, 128, 1, 1, /*aliases=*/y_);
  expect_rejected(graph_, bad, "may not write its output over");
  bad = good_;
  bad.buffers[2].aliases_tensor = y_;  // declared, but placed elsewhere
  expect_rejected(graph_, bad, "offset or size differ");
}

TEST_F(TwoConvs, RejectsWrongLiveFigures) {
  Plan bad = good_;
  bad.live_bytes_per_step = {256, 128};
  expect_rejected(graph_, bad, "buffers add to 256");
  bad = good_;
  bad.peak_live_bytes = 200;
  expect_rejected(graph_, bad, "peak_live_bytes");
}

TEST(ValidatePlan, ScratchMustLiveAtItsOperatorsStep) {
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmInt8, {1, 16}, testing::q8());
  const int32_t y = testing::add_unary(b, kTmOpRelu, x, "y", {1, 16});
  const int32_t z = testing::add_unary(b, kTmOpRelu6, y, "z", {1, 16});
  b.mark_output(z);
  const model::Graph g = std::move(b).build();
  Plan plan;
  plan.order = {0, 1};
  plan.arena_bytes = 64;
  plan.buffers = {activation(x, 0, 16, 0, 0), activation(y, 16, 16, 0, 1),
                  activation(z, 0, 16, 1, 1)};
  Buffer scratch;
  scratch.kind = Buffer::Kind::kScratch;
  scratch.operator_index = 1;
  scratch.offset = 32;
  scratch.bytes = 32;
  scratch.first_step = 1;
  scratch.last_step = 1;
  plan.buffers.push_back(scratch);
  plan.live_bytes_per_step = {32, 64};
  plan.peak_live_bytes = 64;
  Status status = validate_plan(g, plan);
  EXPECT_TRUE(status.is_ok()) << status.message();
  plan.buffers.back().first_step = 0;
  plan.live_bytes_per_step = {64, 64};
  expect_rejected(g, plan, "must live exactly at step 1");
}

// x -> RELU -> y; ADD(x, y) -> z: y may not take x's bytes.
TEST(ValidatePlan, RejectsInPlaceOverATensorReadLater) {
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmInt8, {1, 64}, testing::q8());
  const int32_t y = testing::add_unary(b, kTmOpRelu, x, "y", {1, 64});
  const int32_t z = testing::add_binary(b, kTmOpAdd, x, y, "z", {1, 64});
  b.mark_output(z);
  const model::Graph g = std::move(b).build();
  Plan plan;
  plan.order = {0, 1};
  plan.arena_bytes = 128;
  plan.buffers = {activation(x, 0, 64, 0, 1), activation(y, 64, 64, 0, 1),
                  activation(z, 0, 64, 1, 1, /*aliases=*/x)};
  plan.live_bytes_per_step = {128, 128};
  plan.peak_live_bytes = 128;
  Status status = validate_plan(g, plan);
  EXPECT_TRUE(status.is_ok()) << status.message();  // ADD over x is fine

  plan.buffers[1] = activation(y, 0, 64, 0, 1, /*aliases=*/x);
  plan.buffers[2] = activation(z, 64, 64, 1, 1);
  plan.live_bytes_per_step = {64, 128};
  plan.peak_live_bytes = 128;
  expect_rejected(g, plan, "still needs after step 0");
  EXPECT_NE(testing::shadow_run(g, plan), "");
}

TEST(ValidatePlan, RejectsSharingWithABroadcastOperand) {
  GraphBuilder b;
  const int32_t a = b.add_input("a", kTmInt8, {1, 4, 4}, testing::q8());
  const int32_t c = b.add_input("c", kTmInt8, {1, 1, 4}, testing::q8());
  const int32_t z = testing::add_binary(b, kTmOpAdd, a, c, "z", {1, 4, 4});
  b.mark_output(z);
  const model::Graph g = std::move(b).build();
  Plan plan;
  plan.order = {0};
  plan.arena_bytes = 32;
  plan.buffers = {activation(a, 0, 16, 0, 0), activation(c, 16, 4, 0, 0),
                  activation(z, 16, 16, 0, 0, /*aliases=*/c)};
  plan.live_bytes_per_step = {32};
  plan.peak_live_bytes = 32;
  expect_rejected(g, plan, "offset or size differ");
}

TEST(ValidatePlan, AcceptsAViewChainAndRejectsAFakeView) {
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmInt8, {1, 4, 4}, testing::q8());
  const int32_t r = testing::add_unary(b, kTmOpReshape, x, "r", {1, 16});
  const int32_t s = testing::add_unary(b, kTmOpRelu, r, "s", {1, 16});
  b.mark_output(s);
  const model::Graph g = std::move(b).build();
  Plan plan;
  plan.order = {0, 1};
  plan.arena_bytes = 16;
  plan.buffers = {activation(x, 0, 16, 0, 0),
                  activation(r, 0, 16, 0, 1, /*aliases=*/x),
                  activation(s, 0, 16, 1, 1, /*aliases=*/r)};
  plan.live_bytes_per_step = {16, 16};
  plan.peak_live_bytes = 16;
  Status status = validate_plan(g, plan);
  EXPECT_TRUE(status.is_ok()) << status.message();

  // x may not alias r: x has no producer that could have written it so.
  plan.buffers[0].aliases_tensor = s;
  expect_rejected(g, plan, "cycle");
}

}  // namespace
}  // namespace tierml::plan
