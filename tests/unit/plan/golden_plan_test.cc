// Every golden model plans and passes the independent validator and a shadow
// run, with and without sharing and reordering; the explain outputs agree with
// the plan; the scratch the plan reserves is what the interpreter's operators
// request for the same model (a second implementation of the same figures).
#include <gtest/gtest.h>

#include <string>

#include "model/reader.h"
#include "plan/explain.h"
#include "plan/plan.h"
#include "plan/scratch.h"
#include "runtime_host/host_interpreter.h"
#include "unit/model/golden_models.h"
#include "unit/plan/shadow_run.h"

namespace tierml::plan {
namespace {

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + what.size())) {
    ++n;
  }
  return n;
}

TEST(GoldenPlans, EveryModelPlansAndValidates) {
  const auto dirs = tierml::testing::golden_model_dirs();
  TIERML_SKIP_WITHOUT_GOLDEN(dirs);
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir.filename().string());
    auto graph = model::read_model_file((dir / "model.tflite").string());
    ASSERT_TRUE(graph.has_value()) << graph.status().message();
    PlanOptions plain;
    plain.allow_in_place = false;
    plain.reorder_operators = false;
    for (const PlanOptions& options : {PlanOptions{}, plain}) {
      auto plan = plan_memory(*graph, options);
      ASSERT_TRUE(plan.has_value()) << plan.status().message();
      const Status valid = validate_plan(*graph, *plan);
      EXPECT_TRUE(valid.is_ok()) << valid.message();
      EXPECT_EQ(tierml::testing::shadow_run(*graph, *plan), "");
      EXPECT_GE(plan->arena_bytes, plan->peak_live_bytes);
      EXPECT_EQ(plan->arena_bytes, plan_top_bytes(*graph, *plan));
    }
  }
}

TEST(GoldenPlans, ExplainAgreesWithThePlan) {
  const auto dirs = tierml::testing::golden_model_dirs();
  TIERML_SKIP_WITHOUT_GOLDEN(dirs);
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir.filename().string());
    auto graph = model::read_model_file((dir / "model.tflite").string());
    ASSERT_TRUE(graph.has_value()) << graph.status().message();
    auto plan = plan_memory(*graph);
    ASSERT_TRUE(plan.has_value()) << plan.status().message();

    const std::string text = explain_text(*graph, *plan);
    const size_t at = text.find("\npeak: ");
    ASSERT_NE(at, std::string::npos) << text;
    EXPECT_EQ(std::stoll(text.substr(at + 7)), plan->arena_bytes);
    EXPECT_EQ(count_of(text, "\nstep "), plan->order.size());

    const std::string svg = explain_svg(*graph, *plan);
    EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
    EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
    EXPECT_EQ(count_of(svg, "<script"), 0u);
    size_t drawn = 0;
    for (const Buffer& b : plan->buffers) drawn += b.bytes > 0 ? 1 : 0;
    // Background, plot area and four legend swatches besides the buffers.
    EXPECT_EQ(count_of(svg, "<rect "), drawn + 6);
    EXPECT_EQ(count_of(svg, "<title>"), drawn);

    const nlohmann::json j = explain_json(*graph, *plan);
    ASSERT_EQ(j["steps"].size(), plan->order.size());
    for (size_t s = 0; s < plan->order.size(); ++s) {
      EXPECT_EQ(j["steps"][s]["live_bytes"].get<int64_t>(),
                plan->live_bytes_per_step[s]);
    }
    EXPECT_EQ(j["buffers"].size(), plan->buffers.size());
  }
}

TEST(GoldenPlans, ScratchMatchesWhatTheInterpreterRequests) {
  const auto dirs = tierml::testing::golden_model_dirs();
  TIERML_SKIP_WITHOUT_GOLDEN(dirs);
  int checked_with_scratch = 0;
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir.filename().string());
    const std::string path = (dir / "model.tflite").string();
    auto graph = model::read_model_file(path);
    ASSERT_TRUE(graph.has_value()) << graph.status().message();
    auto host = HostInterpreter::load_file(path);
    ASSERT_TRUE(host.has_value()) << host.status().message();
    for (size_t i = 0; i < graph->operators.size(); ++i) {
      void* data = nullptr;
      size_t requested = 0;
      (*host)->interpreter().node_scratch(static_cast<int32_t>(i), &data,
                                          &requested);
      auto ours = scratch_bytes(*graph, static_cast<int32_t>(i));
      ASSERT_TRUE(ours.has_value()) << ours.status().message();
      EXPECT_EQ(*ours, static_cast<int64_t>(requested)) << "operator " << i;
      if (requested > 0) ++checked_with_scratch;
    }
  }
  // MEAN, TRANSPOSE_CONV and LSTM models are among the golden set.
  EXPECT_GT(checked_with_scratch, 0);
}

}  // namespace
}  // namespace tierml::plan
