// Arena bytes of the compiled path's memory plan for the MLPerf Tiny int8
// models, against TensorFlow Lite Micro's arena_used_bytes
// (TIERML_SHARED_DIR/baselines/tflm_host_x86.json, reference kernels). The
// benchmark part times plan_memory itself; the figures that matter are the
// bytes, printed after it. Goal: at most 0.55x TFLM on each model.
//
// Columns: arena (the plan), floor (most bytes live at one step for the
// chosen order and sharing: no placement does better), and the arena with
// sharing (views, in place) or reordering switched off, to show what each
// contributes. Every plan printed here passed validate_plan.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/reader.h"
#include "plan/plan.h"

namespace {

namespace fs = std::filesystem;

const char* const kModels[] = {"tiny_kws_ref_model", "tiny_vww_96_int8",
                               "tiny_pretrainedResnet_quant", "tiny_ad01_int8"};

// Arena bytes of a validated plan, -1 if planning or validation failed.
int64_t arena(const tierml::model::Graph& graph,
              const tierml::plan::PlanOptions& options,
              tierml::plan::Plan* out = nullptr) {
  auto plan = tierml::plan::plan_memory(graph, options);
  if (!plan) {
    std::printf("  plan failed: %s\n", plan.status().message().c_str());
    return -1;
  }
  const tierml::Status valid = tierml::plan::validate_plan(graph, *plan);
  if (!valid.is_ok()) {
    std::printf("  invalid plan: %s\n", valid.message().c_str());
    return -1;
  }
  if (out != nullptr) *out = *plan;
  return plan->arena_bytes;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const fs::path shared = TIERML_SHARED_DIR;
  std::ifstream baseline_file(shared / "baselines" / "tflm_host_x86.json");
  const nlohmann::json baseline =
      nlohmann::json::parse(baseline_file, nullptr, false);

  std::vector<std::pair<std::string, tierml::model::Graph>> graphs;
  for (const char* model : kModels) {
    auto graph = tierml::model::read_model_file(
        (shared / "golden" / model / "model.tflite").string());
    if (!graph) {
      std::printf("%s: skipped: %s\n", model, graph.status().message().c_str());
      continue;
    }
    graphs.emplace_back(model, std::move(*graph));
  }
  for (const auto& [name, graph] : graphs) {
    const tierml::model::Graph* g = &graph;
    benchmark::RegisterBenchmark(("plan_memory/" + name).c_str(),
                                 [g](benchmark::State& state) {
                                   for (auto _ : state) {
                                     auto plan = tierml::plan::plan_memory(*g);
                                     benchmark::DoNotOptimize(plan);
                                   }
                                 })
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();

  std::printf("\n%-28s %8s %8s %9s %8s %7s %10s %10s\n", "model", "arena",
              "floor", "tflm_ref", "ratio", "goal", "no_share", "no_reorder");
  for (const auto& [name, graph] : graphs) {
    tierml::plan::Plan plan;
    const int64_t bytes = arena(graph, {}, &plan);
    tierml::plan::PlanOptions no_share;
    no_share.allow_in_place = false;
    tierml::plan::PlanOptions no_reorder;
    no_reorder.reorder_operators = false;
    double tflm = 0;
    if (!baseline.is_discarded() && baseline["models"].contains(name)) {
      tflm = baseline["models"][name]["tflm_reference_kernels"].value(
          "arena_used_bytes", 0.0);
    }
    const double ratio = tflm > 0 ? static_cast<double>(bytes) / tflm : 0;
    std::printf("%-28s %8lld %8lld %9.0f %7.3fx %7s %10lld %10lld\n",
                name.c_str(), static_cast<long long>(bytes),
                static_cast<long long>(plan.peak_live_bytes), tflm, ratio,
                tflm > 0 ? (ratio <= 0.55 ? "met" : "missed") : "-",
                static_cast<long long>(arena(graph, no_share)),
                static_cast<long long>(arena(graph, no_reorder)));
  }
  std::printf(
      "ratio = plan arena / TFLM arena_used_bytes (TFLM's figure also holds "
      "its persistent tensor and operator data, which the compiled path keeps "
      "in const tables instead).\n");
  return 0;
}
