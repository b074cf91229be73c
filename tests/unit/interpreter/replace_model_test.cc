#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "interpreter/interpreter.h"
#include "unit/interpreter/test_models.h"

namespace tierml {
namespace {

using testing::blob_of;

std::vector<uint8_t> bytes_of(const TmTensor* t) {
  const uint8_t* p = static_cast<const uint8_t*>(t->data);
  return std::vector<uint8_t>(p, p + t->bytes);
}

model::Graph accumulate_graph() {
  model::Graph g;
  g.tensors.push_back(testing::int8_tensor(4));
  model::Tensor state = testing::int8_tensor(4);
  state.is_variable = true;
  g.tensors.push_back(state);
  g.tensors.push_back(testing::int8_tensor(4));
  g.operators = {testing::make_op(kTmOpSvdf, {0, 1}, {2})};
  g.inputs = {0};
  g.outputs = {2};
  return g;
}

size_t need_of(const std::vector<uint8_t>& blob, const OpResolver& resolver) {
  AlignedBytes arena(256 * 1024);
  Interpreter it;
  if (it.init(blob.data(), blob.size(), arena.data(), arena.size(),
              &resolver) != kTmOk) {
    return 0;
  }
  return it.arena_bytes_needed();
}

class ReplaceModel : public ::testing::Test {
 protected:
  void SetUp() override {
    resolver_.add(&testing::kMix);
    resolver_.add(&testing::kAccumulate);
    graph_a_ = testing::mix_graph();
    blob_a_ = blob_of(graph_a_);
    blob_b_ = blob_of(accumulate_graph());
    ASSERT_FALSE(blob_a_.empty());
    ASSERT_FALSE(blob_b_.empty());
    need_a_ = need_of(blob_a_, resolver_);
    need_b_ = need_of(blob_b_, resolver_);
    ASSERT_GT(need_a_, 0u);
    ASSERT_GT(need_b_, 0u);
    input_.resize(64);
    for (size_t i = 0; i < input_.size(); ++i) input_[i] = uint8_t(3 * i + 1);
    want_a_ = testing::evaluate_mix(graph_a_, input_)[6];
  }

  // Runs model A on input_ and returns output 0.
  std::vector<uint8_t> run_a(Interpreter& it) {
    std::copy(input_.begin(), input_.end(),
              static_cast<uint8_t*>(it.input(0)->data));
    EXPECT_EQ(it.invoke(), kTmOk) << it.last_error();
    return bytes_of(it.output(0));
  }

  std::vector<uint8_t> run_b(Interpreter& it) {
    int8_t* x = static_cast<int8_t*>(it.input(0)->data);
    for (int i = 0; i < 4; ++i) x[i] = static_cast<int8_t>(10 * (i + 1));
    EXPECT_EQ(it.invoke(), kTmOk) << it.last_error();
    return bytes_of(it.output(0));
  }

  OpResolver resolver_;
  model::Graph graph_a_;
  std::vector<uint8_t> blob_a_, blob_b_, input_, want_a_;
  size_t need_a_ = 0, need_b_ = 0;
};

TEST_F(ReplaceModel, BadBlobsLeaveTheRunningModelServing) {
  AlignedBytes arena(need_a_ + need_b_ + 64);
  Interpreter it;
  ASSERT_EQ(it.init(blob_a_.data(), blob_a_.size(), arena.data(), arena.size(),
                    &resolver_),
            kTmOk);
  ASSERT_EQ(run_a(it), want_a_);

  std::vector<uint8_t> truncated(blob_b_.begin(),
                                 blob_b_.begin() + blob_b_.size() / 2);
  EXPECT_EQ(it.replace_model(truncated.data(), truncated.size()),
            kTmErrorMalformedModel);
  // Outputs of the last invoke are untouched, and the model still runs.
  EXPECT_EQ(bytes_of(it.output(0)), want_a_);
  EXPECT_EQ(run_a(it), want_a_);

  std::vector<uint8_t> garbage(blob_b_.size(), 0xEE);
  EXPECT_NE(it.replace_model(garbage.data(), garbage.size()), kTmOk);
  EXPECT_EQ(run_a(it), want_a_);

  model::Graph unregistered = accumulate_graph();
  unregistered.operators[0] = testing::make_op(kTmOpMean, {0}, {2});
  unregistered.tensors[1].is_variable = false;
  const std::vector<uint8_t> blob_mean = blob_of(unregistered);
  ASSERT_FALSE(blob_mean.empty());
  EXPECT_EQ(it.replace_model(blob_mean.data(), blob_mean.size()),
            kTmErrorUnsupported);
  EXPECT_EQ(bytes_of(it.output(0)), want_a_);
  EXPECT_EQ(run_a(it), want_a_);
  EXPECT_EQ(it.num_inputs(), 1);
  EXPECT_EQ(it.input(0)->bytes, 64u);
}

TEST_F(ReplaceModel, NoRoomForTheNewModelKeepsTheOld) {
  AlignedBytes arena(need_a_ + need_b_ - 16);
  Interpreter it;
  ASSERT_EQ(it.init(blob_a_.data(), blob_a_.size(), arena.data(), arena.size(),
                    &resolver_),
            kTmOk);
  ASSERT_EQ(run_a(it), want_a_);
  EXPECT_EQ(it.replace_model(blob_b_.data(), blob_b_.size()),
            kTmErrorArenaTooSmall);
  EXPECT_EQ(bytes_of(it.output(0)), want_a_);
  EXPECT_EQ(run_a(it), want_a_);
}

TEST_F(ReplaceModel, GoodBlobsSwitchBackAndForth) {
  AlignedBytes arena(std::max(need_a_, need_b_) * 2 + 16);
  Interpreter it;
  ASSERT_EQ(it.init(blob_a_.data(), blob_a_.size(), arena.data(), arena.size(),
                    &resolver_),
            kTmOk);
  ASSERT_EQ(run_a(it), want_a_);
  for (int round = 0; round < 3; ++round) {
    ASSERT_EQ(it.replace_model(blob_b_.data(), blob_b_.size()), kTmOk)
        << it.last_error();
    EXPECT_EQ(it.arena_bytes_needed(), need_b_);
    // A fresh model: state starts at zero and accumulates.
    EXPECT_EQ(run_b(it), (std::vector<uint8_t>{10, 20, 30, 40}));
    EXPECT_EQ(run_b(it), (std::vector<uint8_t>{20, 40, 60, 80}));
    ASSERT_EQ(it.replace_model(blob_a_.data(), blob_a_.size()), kTmOk)
        << it.last_error();
    EXPECT_EQ(it.arena_bytes_needed(), need_a_);
    EXPECT_EQ(run_a(it), want_a_);
  }
}

}  // namespace
}  // namespace tierml
