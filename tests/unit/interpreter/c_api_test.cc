#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tierml/interpreter.h"
#include "unit/interpreter/test_models.h"

namespace tierml {
namespace {

// The C API drives the same interpreter: a model built from stand-in
// operators runs through it and gives the reference outputs.
TEST(InterpreterCApi, RunsAModel) {
  const model::Graph g = testing::mix_graph();
  const std::vector<uint8_t> blob = testing::blob_of(g);
  ASSERT_FALSE(blob.empty());
  TmOpResolver resolver;
  tm_resolver_init(&resolver);
  ASSERT_EQ(
      tm_resolver_add(
          &resolver, reinterpret_cast<const TmOpRegistration*>(&testing::kMix)),
      kTmOk);
  AlignedBytes arena(64 * 1024);
  TmInterpreter it;
  ASSERT_EQ(tm_interpreter_init(&it, blob.data(), blob.size(), arena.data(),
                                arena.size(), &resolver),
            kTmOk)
      << tm_interpreter_last_error(&it);
  EXPECT_GT(tm_interpreter_arena_bytes_needed(&it), 0u);
  ASSERT_EQ(tm_interpreter_num_inputs(&it), 1);
  ASSERT_EQ(tm_interpreter_num_outputs(&it), 2);
  EXPECT_EQ(tm_interpreter_input(&it, 1), nullptr);
  std::vector<uint8_t> input(64, 7);
  TmTensor* in = tm_interpreter_input(&it, 0);
  std::copy(input.begin(), input.end(), static_cast<uint8_t*>(in->data));
  ASSERT_EQ(tm_interpreter_invoke(&it), kTmOk);
  const auto want = testing::evaluate_mix(g, input);
  const TmTensor* out = tm_interpreter_output(&it, 0);
  const uint8_t* p = static_cast<const uint8_t*>(out->data);
  EXPECT_EQ(std::vector<uint8_t>(p, p + out->bytes), want[6]);
}

TEST(InterpreterCApi, UnregisteredOperatorIsReported) {
  const std::vector<uint8_t> blob = testing::blob_of(testing::mix_graph());
  TmOpResolver resolver;
  tm_resolver_init(&resolver);
  AlignedBytes arena(64 * 1024);
  TmInterpreter it;
  EXPECT_EQ(tm_interpreter_init(&it, blob.data(), blob.size(), arena.data(),
                                arena.size(), &resolver),
            kTmErrorUnsupported);
  EXPECT_EQ(std::string(tm_interpreter_last_error(&it)),
            "node 0 (MUL): operator not registered in this firmware's "
            "resolver");
  EXPECT_EQ(tm_interpreter_invoke(&it), kTmErrorNotReady);
}

}  // namespace
}  // namespace tierml
