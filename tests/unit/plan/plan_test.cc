// plan_memory on small hand-built graphs, each figure worked out by hand in
// the comments; every plan also passes the independent validator and a
// shadow run (shadow_run.h).
#include "plan/plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "model/graph_builder.h"
#include "plan/sharing.h"
#include "unit/plan/plan_test_models.h"
#include "unit/plan/shadow_run.h"

namespace tierml::plan {
namespace {

using model::GraphBuilder;
using testing::add_binary;
using testing::add_conv;
using testing::add_unary;
using testing::int8_tensor;

const Buffer& buffer_for(const Plan& plan, int32_t tensor) {
  for (const Buffer& b : plan.buffers) {
    if (b.kind != Buffer::Kind::kScratch && b.tensor == tensor) return b;
  }
  ADD_FAILURE() << "no buffer for tensor " << tensor;
  static const Buffer none;
  return none;
}

Plan planned(const model::Graph& graph, const PlanOptions& options = {}) {
  auto plan = plan_memory(graph, options);
  EXPECT_TRUE(plan.has_value()) << plan.status().message();
  if (!plan) return {};
  const Status valid = validate_plan(graph, *plan);
  EXPECT_TRUE(valid.is_ok()) << valid.message();
  EXPECT_EQ(testing::shadow_run(graph, *plan), "");
  return *plan;
}

TEST(PlanMemory, SingleConvHoldsInputAndOutput) {
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmInt8, {1, 8, 8, 3}, testing::q8());
  const int32_t y = add_conv(b, x, "y", 8, 8, 3, 4);
  b.mark_output(y);
  const model::Graph g = std::move(b).build();
  const Plan plan = planned(g);
  // 8*8*3 = 192 and 8*8*4 = 256 bytes, both live at the only step.
  EXPECT_EQ(plan.arena_bytes, 448);
  EXPECT_EQ(plan.peak_live_bytes, 448);
  EXPECT_EQ(plan.order, std::vector<int32_t>{0});
  EXPECT_EQ(plan.live_bytes_per_step, std::vector<int64_t>{448});
  EXPECT_EQ(plan.buffers.size(), 2u);  // no buffer for weights
}

TEST(PlanMemory, MeanScratchIsPlacedInTheArena) {
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmInt8, {1, 4, 4, 8}, testing::q8());
  const int32_t axes = b.add_constant(
      "axes", kTmInt32, {2}, model::to_bytes(std::vector<int32_t>{1, 2}));
  const int32_t y = int8_tensor(b, "y", {1, 1, 1, 8});
  b.add_op(model::mean_attrs(true), {x, axes}, {y});
  b.mark_output(y);
  const model::Graph g = std::move(b).build();
  const Plan plan = planned(g);
  // Input 128 B, output 8 B (16 aligned), scratch one int32 per output: 32.
  EXPECT_EQ(plan.arena_bytes, 128 + 16 + 32);
  const auto scratch = std::find_if(
      plan.buffers.begin(), plan.buffers.end(),
      [](const Buffer& b) { return b.kind == Buffer::Kind::kScratch; });
  ASSERT_NE(scratch, plan.buffers.end());
  EXPECT_EQ(scratch->operator_index, 0);
  EXPECT_EQ(scratch->bytes, 32);
  EXPECT_EQ(scratch->first_step, 0);
  EXPECT_EQ(scratch->last_step, 0);
}

TEST(PlanMemory, ReshapeAliasesAndReluRunsInPlace) {
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmInt8, {1, 4, 4, 8}, testing::q8());
  const int32_t r = add_unary(b, kTmOpReshape, x, "r", {1, 128});
  const int32_t z = add_unary(b, kTmOpRelu, r, "z", {1, 128});
  b.mark_output(z);
  const model::Graph g = std::move(b).build();
  const Plan plan = planned(g);
  EXPECT_EQ(plan.arena_bytes, 128);  // one set of 128 bytes throughout
  EXPECT_EQ(buffer_for(plan, r).aliases_tensor, x);
  EXPECT_EQ(buffer_for(plan, z).aliases_tensor, r);
  EXPECT_EQ(buffer_for(plan, z).offset, buffer_for(plan, x).offset);

  PlanOptions no_sharing;
  no_sharing.allow_in_place = false;
  const Plan plain = planned(g, no_sharing);
  EXPECT_EQ(plain.arena_bytes, 256);  // two 128-byte tensors at each step
  for (const Buffer& buffer : plain.buffers) {
    EXPECT_EQ(buffer.aliases_tensor, -1);
  }
}

TEST(PlanMemory, NoInPlaceOverATensorReadLater) {
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmInt8, {1, 64}, testing::q8());
  const int32_t y = add_unary(b, kTmOpRelu, x, "y", {1, 64});
  const int32_t z = add_binary(b, kTmOpAdd, x, y, "z", {1, 64});
  b.mark_output(z);
  const model::Graph g = std::move(b).build();
  const Plan plan = planned(g);
  // RELU may not overwrite x (ADD reads it next); ADD may overwrite either.
  EXPECT_EQ(buffer_for(plan, y).aliases_tensor, -1);
  const int32_t shared = buffer_for(plan, z).aliases_tensor;
  EXPECT_TRUE(shared == x || shared == y) << shared;
  EXPECT_EQ(plan.arena_bytes, 128);
}

TEST(PlanMemory, NoInPlaceOverAGraphOutput) {
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmInt8, {1, 4, 4, 8}, testing::q8());
  const int32_t a = add_conv(b, x, "a", 4, 4, 8, 8);
  const int32_t c = add_unary(b, kTmOpRelu, a, "c", {1, 4, 4, 8});
  b.mark_output(a);
  b.mark_output(c);
  const model::Graph g = std::move(b).build();
  const Plan plan = planned(g);
  EXPECT_EQ(buffer_for(plan, c).aliases_tensor, -1);
  // x + a at step 0, a + c at step 1: c reuses x's bytes.
  EXPECT_EQ(plan.arena_bytes, 256);
}

TEST(PlanMemory, StateIsLiveThroughoutAndNeverOverwritten) {
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmInt8, {1, 32}, testing::q8());
  const int32_t s = b.add_variable("s", kTmInt8, {1, 32}, testing::q8());
  const int32_t y = add_binary(b, kTmOpAdd, x, s, "y", {1, 32});
  const int32_t z = add_unary(b, kTmOpRelu, y, "z", {1, 32});
  b.mark_output(z);
  const model::Graph g = std::move(b).build();
  const Plan plan = planned(g);
  const Buffer& state = buffer_for(plan, s);
  EXPECT_EQ(state.kind, Buffer::Kind::kState);
  EXPECT_EQ(state.first_step, 0);
  EXPECT_EQ(state.last_step, 1);
  EXPECT_EQ(buffer_for(plan, y).aliases_tensor, x);
  EXPECT_EQ(buffer_for(plan, z).aliases_tensor, y);
  EXPECT_EQ(plan.arena_bytes, 64);  // state + one 32-byte chain
}

// x -> conv -> A1 (big) -> pool -> A2, x -> conv -> B1 (big) -> pool -> B2,
// ADD(A2, B2). The model lists both big convolutions first.
model::Graph two_branches() {
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmInt8, {1, 8, 8, 4}, testing::q8());
  const int32_t a1 = add_conv(b, x, "a1", 8, 8, 4, 16);
  const int32_t b1 = add_conv(b, x, "b1", 8, 8, 4, 16);
  const TmOpAttrs pool =
      model::pool2d_attrs(kTmOpAveragePool2d, kTmPaddingValid, 8, 8, 8, 8);
  const int32_t a2 = int8_tensor(b, "a2", {1, 1, 1, 16});
  b.add_op(pool, {a1}, {a2});
  const int32_t b2 = int8_tensor(b, "b2", {1, 1, 1, 16});
  b.add_op(pool, {b1}, {b2});
  const int32_t z = add_binary(b, kTmOpAdd, a2, b2, "z", {1, 1, 1, 16});
  b.mark_output(z);
  return std::move(b).build();
}

TEST(PlanMemory, ReordersBranchesForTheLowestPeak) {
  const model::Graph g = two_branches();
  PlanOptions keep;
  keep.reorder_operators = false;
  const Plan natural = planned(g, keep);
  // Model order: x (256) + A1 (1024) + B1 (1024) live at step 1.
  EXPECT_EQ(natural.order, (std::vector<int32_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(natural.peak_live_bytes, 2304);
  EXPECT_EQ(natural.arena_bytes, 2304);

  // Best: finish one branch first; x + one big tensor + a 16-byte pooled
  // result is the unavoidable peak (256 + 1024 + 16).
  const Plan best = planned(g);
  EXPECT_EQ(best.peak_live_bytes, 1296);
  EXPECT_EQ(best.arena_bytes, 1296);
  EXPECT_TRUE(best.order == (std::vector<int32_t>{0, 2, 1, 3, 4}) ||
              best.order == (std::vector<int32_t>{1, 3, 0, 2, 4}));
}

// Sixteen independent branches joined by one CONCATENATION: up to 2^32
// sets of finished operators, far more than the search budget allows. It
// must still return quickly with a valid order better than the model's.
TEST(PlanMemory, WideGraphsStayWithinTheSearchBudget) {
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmInt8, {1, 4, 4, 4}, testing::q8());
  std::vector<int32_t> pooled;
  const TmOpAttrs pool =
      model::pool2d_attrs(kTmOpMaxPool2d, kTmPaddingValid, 4, 4, 4, 4);
  for (int i = 0; i < 16; ++i) {
    const int32_t wide =
        add_conv(b, x, "wide" + std::to_string(i), 4, 4, 4, 8 + i);
    const int32_t small =
        int8_tensor(b, "small" + std::to_string(i), {1, 1, 1, 8 + i});
    b.add_op(pool, {wide}, {small});
    pooled.push_back(small);
  }
  const int32_t joined = int8_tensor(b, "joined", {1, 1, 1, 248});
  b.add_op(model::concatenation_attrs(3), pooled, {joined});
  b.mark_output(joined);
  const model::Graph g = std::move(b).build();
  PlanOptions keep;
  keep.reorder_operators = false;
  const Plan natural = planned(g, keep);
  const Plan best = planned(g);
  EXPECT_LE(best.arena_bytes, natural.arena_bytes);
  // Each branch finished before the next starts: x (64) + the largest wide
  // tensor (4*4*23 = 368) + the pooled results so far, all rounded to 16.
  EXPECT_LT(best.peak_live_bytes, natural.peak_live_bytes);
}

TEST(PlanMemory, OffsetsFollowTheAlignment) {
  const model::Graph g = two_branches();
  PlanOptions options;
  options.alignment = 64;
  const Plan plan = planned(g, options);
  EXPECT_EQ(plan.alignment, 64);
  for (const Buffer& b : plan.buffers) EXPECT_EQ(b.offset % 64, 0);
  // 16-byte tensors take 64 each now: 256 + 1024 + 64.
  EXPECT_EQ(plan.arena_bytes, 1344);
}

TEST(ShareRule, OnlyFullShapeOperandsOfTheSameType) {
  GraphBuilder b;
  const int32_t a = b.add_input("a", kTmInt8, {1, 4, 8}, testing::q8());
  const int32_t c = b.add_input("c", kTmInt8, {1, 1, 8}, testing::q8());
  add_binary(b, kTmOpAdd, a, c, "ac", {1, 4, 8});  // op 0
  add_binary(b, kTmOpMul, c, a, "ca", {1, 4, 8});  // op 1
  const int32_t w = testing::zero_weights(b, "w", kTmInt8, {1, 4, 8});
  add_binary(b, kTmOpSub, w, a, "wa", {1, 4, 8});  // op 2: w is constant
  add_unary(b, kTmOpQuantize, a, "q16", {1, 4, 8}, kTmInt16);    // op 3
  add_unary(b, kTmOpQuantize, a, "q8", {1, 4, 8});               // op 4
  add_unary(b, kTmOpDequantize, a, "f", {1, 4, 8}, kTmFloat32);  // op 5
  add_conv(b, a, "conv", 1, 4, 8, 8);                            // op 6
  add_unary(b, kTmOpSqueeze, a, "sq", {4, 8});                   // op 7
  const model::Graph g = std::move(b).build();

  auto rule = [&](int32_t op) { return share_rule(g, op); };
  EXPECT_EQ(rule(0).kind, ShareKind::kInPlace);
  EXPECT_EQ(rule(0).candidates, std::vector<int32_t>{a});  // c broadcasts
  EXPECT_EQ(rule(1).candidates, std::vector<int32_t>{a});
  EXPECT_EQ(rule(2).candidates, std::vector<int32_t>{a});  // not a weight
  EXPECT_EQ(rule(3).kind, ShareKind::kNone);  // 2-byte output over 1-byte
  EXPECT_EQ(rule(4).kind, ShareKind::kInPlace);
  EXPECT_EQ(rule(5).kind, ShareKind::kNone);
  EXPECT_EQ(rule(6).kind, ShareKind::kNone);  // convolution reads ahead
  EXPECT_EQ(rule(7).kind, ShareKind::kView);
  EXPECT_EQ(rule(7).candidates, std::vector<int32_t>{a});
}

TEST(PlanMemory, RejectsWhatItCannotPlan) {
  {
    GraphBuilder b;
    b.add_input("x", kTmInt8, {1, 4}, testing::q8());
    auto plan = plan_memory(std::move(b).build());
    ASSERT_FALSE(plan.has_value());
    EXPECT_EQ(plan.status().code(), ErrorCode::kInvalidArgument);
  }
  {
    GraphBuilder b;
    const int32_t x = b.add_input("x", kTmString, {1}, {});
    const int32_t y = add_unary(b, kTmOpRelu, x, "y", {1, 4});
    b.mark_output(y);
    auto plan = plan_memory(std::move(b).build());
    ASSERT_FALSE(plan.has_value());
    EXPECT_EQ(plan.status().code(), ErrorCode::kUnsupported);
    EXPECT_NE(plan.status().message().find("no fixed size"), std::string::npos);
  }
  {
    GraphBuilder b;
    const int32_t x = b.add_input("x", kTmInt8, {1, 4}, testing::q8());
    const int32_t y = int8_tensor(b, "y", {1, 4});
    b.add_op(model::attrs_of(kTmOpRelu), {x}, {y});
    b.add_op(model::attrs_of(kTmOpRelu6), {x}, {y});
    auto plan = plan_memory(std::move(b).build());
    ASSERT_FALSE(plan.has_value());
    EXPECT_EQ(plan.status().code(), ErrorCode::kMalformedModel);
    EXPECT_NE(plan.status().message().find("written by operators 0 and 1"),
              std::string::npos);
  }
  {
    GraphBuilder b;
    const int32_t t1 = int8_tensor(b, "t1", {1, 4});
    const int32_t t2 = int8_tensor(b, "t2", {1, 4});
    b.add_op(model::attrs_of(kTmOpRelu), {t2}, {t1});
    b.add_op(model::attrs_of(kTmOpRelu), {t1}, {t2});
    b.mark_output(t2);
    auto plan = plan_memory(std::move(b).build());
    ASSERT_FALSE(plan.has_value());
    EXPECT_EQ(plan.status().code(), ErrorCode::kMalformedModel);
    EXPECT_NE(plan.status().message().find("cycle"), std::string::npos);
  }
  {
    PlanOptions options;
    options.alignment = 24;
    auto plan = plan_memory(two_branches(), options);
    ASSERT_FALSE(plan.has_value());
    EXPECT_EQ(plan.status().code(), ErrorCode::kInvalidArgument);
  }
  {
    GraphBuilder b;
    const int32_t x = b.add_input("x", kTmInt8, {1, 4}, testing::q8());
    const int32_t y = int8_tensor(b, "y", {1, 4});
    b.add_op(model::attrs_of(kTmOpRelu), {x, 17}, {y});
    auto plan = plan_memory(std::move(b).build());
    ASSERT_FALSE(plan.has_value());
    EXPECT_EQ(plan.status().code(), ErrorCode::kMalformedModel);
  }
}

}  // namespace
}  // namespace tierml::plan
