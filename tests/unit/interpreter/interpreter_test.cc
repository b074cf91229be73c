#include "interpreter/interpreter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "interpreter/arena_planner.h"
#include "runtime_host/host_interpreter.h"
#include "unit/interpreter/test_models.h"

namespace tierml {
namespace {

using testing::blob_of;
using testing::evaluate_mix;
using testing::mix_graph;

struct Arena {
  explicit Arena(size_t bytes) : storage(bytes) {}
  uint8_t* data() { return storage.data(); }
  size_t size() const { return storage.size(); }
  AlignedBytes storage;
};

OpResolver mix_resolver() {
  OpResolver resolver;
  resolver.add(&testing::kMix);
  resolver.add(&testing::kAccumulate);
  return resolver;
}

std::vector<uint8_t> ramp(size_t n, int start) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(start + 13 * i);
  return v;
}

std::vector<uint8_t> bytes_of(const TmTensor* t) {
  const uint8_t* p = static_cast<const uint8_t*>(t->data);
  return std::vector<uint8_t>(p, p + t->bytes);
}

struct Range {
  const uint8_t* begin;
  const uint8_t* end;
  int32_t first, last;
  std::string what;
};

bool contains(Int32Span span, int32_t value) {
  for (int32_t i = 0; i < span.size; ++i) {
    if (span[i] == value) return true;
  }
  return false;
}

// Checks the plan from the outside: lifetimes recomputed here from the
// model's operator lists, addresses taken from the interpreter. Every planned
// buffer lies in the model's planned region; buffers alive at the same time
// never share a byte; the highest end is exactly the planned size reported.
void check_plan(Interpreter& it, bool preserve_all) {
  const ModelView& view = it.model();
  const int32_t last_op = view.num_operators() - 1;
  std::vector<Range> ranges;
  for (int32_t t = 0; t < view.num_tensors(); ++t) {
    const TensorView tv = view.tensor(t);
    if (tv.data != nullptr || tv.is_variable) continue;
    int32_t first = 1 << 30, last = -1;
    for (int32_t i = 0; i <= last_op; ++i) {
      const OperatorView op = view.op(i);
      if (contains(op.inputs, t) || contains(op.outputs, t)) {
        first = std::min(first, i);
        last = std::max(last, i);
      }
    }
    if (contains(view.inputs(), t)) first = 0;
    if (contains(view.outputs(), t)) last = last_op;
    if (last < 0) continue;  // never used: needs no memory
    if (preserve_all) first = 0, last = last_op;
    const TmTensor* tensor = it.tensor(t);
    const uint8_t* p = static_cast<const uint8_t*>(tensor->data);
    ASSERT_NE(p, nullptr) << "tensor " << t << " has no memory";
    ranges.push_back(
        {p, p + tensor->bytes, first, last, "tensor " + std::to_string(t)});
  }
  for (int32_t i = 0; i <= last_op; ++i) {
    void* data;
    size_t bytes;
    it.node_scratch(i, &data, &bytes);
    if (bytes == 0) continue;
    const uint8_t* p = static_cast<const uint8_t*>(data);
    ranges.push_back({p, p + bytes, i, i, "scratch " + std::to_string(i)});
  }
  const uint8_t* region = it.region();
  const uint8_t* planned = region + it.persistent_bytes();
  const uint8_t* end = region + it.arena_bytes_needed();
  const uint8_t* highest = planned;
  for (size_t a = 0; a < ranges.size(); ++a) {
    EXPECT_GE(ranges[a].begin, planned) << ranges[a].what;
    EXPECT_LE(ranges[a].end, end) << ranges[a].what;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(ranges[a].begin) % 16, 0u);
    highest = std::max(
        highest,
        planned + align_up(static_cast<size_t>(ranges[a].end - planned)));
    for (size_t b = a + 1; b < ranges.size(); ++b) {
      const bool live = ranges[a].first <= ranges[b].last &&
                        ranges[b].first <= ranges[a].last;
      const bool overlap =
          ranges[a].begin < ranges[b].end && ranges[b].begin < ranges[a].end;
      EXPECT_FALSE(live && overlap)
          << ranges[a].what << " and " << ranges[b].what << " overlap";
    }
  }
  EXPECT_EQ(static_cast<size_t>(highest - planned), it.planned_bytes());
  EXPECT_LE(it.persistent_bytes() + it.planned_bytes(),
            it.arena_bytes_needed());
}

TEST(Interpreter, PlansWithoutOverlapAndComputesTheReference) {
  const model::Graph g = mix_graph();
  const std::vector<uint8_t> blob = blob_of(g);
  ASSERT_FALSE(blob.empty());
  OpResolver resolver = mix_resolver();
  Arena arena(64 * 1024);
  Interpreter it;
  ASSERT_EQ(
      it.init(blob.data(), blob.size(), arena.data(), arena.size(), &resolver),
      kTmOk)
      << it.last_error();
  check_plan(it, false);

  const std::vector<uint8_t> input = ramp(64, 5);
  std::copy(input.begin(), input.end(),
            static_cast<uint8_t*>(it.input(0)->data));
  ASSERT_EQ(it.invoke(), kTmOk) << it.last_error();
  const auto want = evaluate_mix(g, input);
  EXPECT_EQ(bytes_of(it.output(0)), want[6]);
  EXPECT_EQ(bytes_of(it.output(1)), want[2]);
  // Reuse happened: the plan is smaller than every buffer side by side.
  size_t sum = 0;
  for (int32_t t = 0; t < 7; ++t) sum += align_up(it.tensor(t)->bytes);
  for (int32_t i = 0; i < it.num_nodes(); ++i) {
    void* data;
    size_t bytes;
    it.node_scratch(i, &data, &bytes);
    sum += align_up(bytes);
  }
  EXPECT_LT(it.planned_bytes(), sum);
}

TEST(Interpreter, ReportedNeedIsExact) {
  const std::vector<uint8_t> blob = blob_of(mix_graph());
  OpResolver resolver = mix_resolver();
  Arena big(64 * 1024);
  Interpreter it;
  ASSERT_EQ(
      it.init(blob.data(), blob.size(), big.data(), big.size(), &resolver),
      kTmOk);
  const size_t needed = it.arena_bytes_needed();
  Arena exact(needed);
  EXPECT_EQ(it.init(blob.data(), blob.size(), exact.data(), needed, &resolver),
            kTmOk)
      << it.last_error();
  EXPECT_EQ(it.arena_bytes_needed(), needed);
  EXPECT_EQ(
      it.init(blob.data(), blob.size(), exact.data(), needed - 1, &resolver),
      kTmErrorArenaTooSmall);
  EXPECT_FALSE(it.ready());
  EXPECT_EQ(it.invoke(), kTmErrorNotReady);
}

TEST(Interpreter, TooSmallArenaReportsTheNeededBytes) {
  const std::vector<uint8_t> blob = blob_of(mix_graph());
  OpResolver resolver = mix_resolver();
  Arena big(64 * 1024);
  Interpreter reference;
  ASSERT_EQ(reference.init(blob.data(), blob.size(), big.data(), big.size(),
                           &resolver),
            kTmOk);
  const size_t needed = reference.arena_bytes_needed();

  // Room for the persistent part and the planner's working memory but not
  // the plan: the exact figure.
  Arena small(needed - 16);
  Interpreter it;
  ASSERT_EQ(
      it.init(blob.data(), blob.size(), small.data(), small.size(), &resolver),
      kTmErrorArenaTooSmall);
  EXPECT_EQ(it.arena_bytes_needed(), needed);
  EXPECT_NE(std::string(it.last_error()).find(std::to_string(needed)),
            std::string::npos)
      << it.last_error();

  // Hardly any room: prepare cannot finish, the figure is a lower bound,
  // and growing the arena to it converges on the exact need.
  size_t bytes = 16;
  int attempts = 0;
  while (true) {
    Arena arena(bytes);
    const TmStatus s =
        it.init(blob.data(), blob.size(), arena.data(), bytes, &resolver);
    if (s == kTmOk) break;
    ASSERT_EQ(s, kTmErrorArenaTooSmall);
    ASSERT_GT(it.arena_bytes_needed(), bytes);
    bytes = it.arena_bytes_needed();
    ASSERT_LT(++attempts, 10);
  }
  EXPECT_EQ(it.arena_bytes_needed(), needed);
}

TEST(Interpreter, PreserveAllTensorsKeepsEveryIntermediate) {
  const model::Graph g = mix_graph();
  const std::vector<uint8_t> blob = blob_of(g);
  OpResolver resolver = mix_resolver();
  Arena arena(64 * 1024);
  Interpreter it;
  InterpreterOptions options;
  options.preserve_all_tensors = true;
  ASSERT_EQ(it.init(blob.data(), blob.size(), arena.data(), arena.size(),
                    &resolver, options),
            kTmOk);
  check_plan(it, true);
  const std::vector<uint8_t> input = ramp(64, 9);
  std::copy(input.begin(), input.end(),
            static_cast<uint8_t*>(it.input(0)->data));
  ASSERT_EQ(it.invoke(), kTmOk);
  const auto want = evaluate_mix(g, input);
  for (int32_t t = 0; t < 7; ++t) {
    EXPECT_EQ(bytes_of(it.tensor(t)), want[t]) << "tensor " << t;
  }
}

TEST(Interpreter, MissingRegistrationNamesTheNode) {
  model::Graph g = mix_graph();
  model::Operator mean = testing::make_op(kTmOpMean, {5}, {6});
  g.operators[5] = mean;
  const std::vector<uint8_t> blob = blob_of(g);
  ASSERT_FALSE(blob.empty());
  OpResolver resolver = mix_resolver();
  Arena arena(64 * 1024);
  Interpreter it;
  EXPECT_EQ(
      it.init(blob.data(), blob.size(), arena.data(), arena.size(), &resolver),
      kTmErrorUnsupported);
  EXPECT_STREQ(it.last_error(),
               "node 5 (MEAN): operator not registered in this firmware's "
               "resolver");
}

TEST(Interpreter, BadBlobIsRejected) {
  std::vector<uint8_t> blob = blob_of(mix_graph());
  blob.resize(blob.size() / 2);
  OpResolver resolver = mix_resolver();
  Arena arena(64 * 1024);
  Interpreter it;
  EXPECT_EQ(
      it.init(blob.data(), blob.size(), arena.data(), arena.size(), &resolver),
      kTmErrorMalformedModel);
  EXPECT_STRNE(it.last_error(), "");
  EXPECT_FALSE(it.ready());
}

// state += x with the state a variable tensor (zero point 3).
model::Graph accumulate_graph() {
  model::Graph g;
  g.tensors.push_back(testing::int8_tensor(4));
  model::Tensor state = testing::int8_tensor(4);
  state.is_variable = true;
  state.quantization.zero_points = {3};
  g.tensors.push_back(state);
  g.tensors.push_back(testing::int8_tensor(4));
  g.operators = {testing::make_op(kTmOpSvdf, {0, 1}, {2})};
  g.inputs = {0};
  g.outputs = {2};
  return g;
}

TEST(Interpreter, ResetRestoresVariablesAndCallsOperators) {
  const std::vector<uint8_t> blob = blob_of(accumulate_graph());
  ASSERT_FALSE(blob.empty());
  OpResolver resolver = mix_resolver();
  Arena arena(16 * 1024);
  Interpreter it;
  ASSERT_EQ(
      it.init(blob.data(), blob.size(), arena.data(), arena.size(), &resolver),
      kTmOk)
      << it.last_error();
  // int8 variables start at their zero point, as in TFLite.
  EXPECT_EQ(bytes_of(it.tensor(1)), std::vector<uint8_t>(4, 3));
  int8_t* x = static_cast<int8_t*>(it.input(0)->data);
  for (int i = 0; i < 4; ++i) x[i] = static_cast<int8_t>(i + 1);
  ASSERT_EQ(it.invoke(), kTmOk);
  const std::vector<uint8_t> first = {4, 5, 6, 7};
  EXPECT_EQ(bytes_of(it.output(0)), first);
  ASSERT_EQ(it.invoke(), kTmOk);
  EXPECT_EQ(bytes_of(it.output(0)), (std::vector<uint8_t>{5, 7, 9, 11}));
  const int resets_before = testing::accumulate_resets;
  ASSERT_EQ(it.reset(), kTmOk);
  EXPECT_EQ(testing::accumulate_resets, resets_before + 1);
  EXPECT_EQ(bytes_of(it.tensor(1)), std::vector<uint8_t>(4, 3));
  ASSERT_EQ(it.invoke(), kTmOk);
  EXPECT_EQ(bytes_of(it.output(0)), first);
}

// The same checks on the published models, with the real kernels' scratch
// and persistent requests, when the shared golden data is present.
TEST(Interpreter, PlansOfPublishedModelsAreValid) {
  const std::string root = std::string(TIERML_SHARED_DIR) + "/golden/";
  const char* const models[] = {
      "tiny_kws_ref_model",          "tiny_vww_96_int8",
      "tiny_pretrainedResnet_quant", "tiny_ad01_int8",
      "tflm_keyword_scrambled",      "tflm_xtensa_micro_speech_lstm"};
  int checked = 0;
  for (const char* name : models) {
    std::ifstream file(root + name + "/model.tflite", std::ios::binary);
    if (!file) continue;
    const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)),
                                     std::istreambuf_iterator<char>());
    for (bool preserve_all : {false, true}) {
      SCOPED_TRACE(std::string(name) + (preserve_all ? " preserve-all" : ""));
      InterpreterOptions options;
      options.preserve_all_tensors = preserve_all;
      auto host = HostInterpreter::load(bytes, options);
      ASSERT_TRUE(host) << host.status().message();
      Interpreter& it = (*host)->interpreter();
      // The host wrapper planned into an arena of exactly the reported need.
      EXPECT_EQ((*host)->arena_bytes(), it.arena_bytes_needed());
      check_plan(it, preserve_all);
    }
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "no shared golden models at " << root;
}

}  // namespace
}  // namespace tierml
