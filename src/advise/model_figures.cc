// Fills a scenario's model figures from .tflite files.
#include <fmt/format.h>

#include "advise/scenario.h"
#include "model/macs.h"
#include "model/memory.h"
#include "model/reader.h"

namespace tierml::advise {
namespace {

Expected<ModelFigures> figures_from_file(const std::filesystem::path& path) {
  Expected<model::Graph> graph = model::read_model_file(path.string());
  if (!graph) return graph.status();
  ModelFigures figures;
  const model::MemorySummary memory = model::summarize_memory(*graph);
  figures.macs = static_cast<double>(model::total_macs(*graph));
  figures.weight_bytes = static_cast<double>(memory.weight_bytes);
  figures.arena_bytes = static_cast<double>(memory.arena_estimate_bytes);
  figures.origin = path.filename().string();
  return figures;
}

}  // namespace

Status resolve_models(Scenario& scenario) {
  if (scenario.tiny_model_path) {
    auto figures = figures_from_file(*scenario.tiny_model_path);
    if (!figures) return figures.status();
    scenario.tiny = *figures;
  }
  if (scenario.full_model_path) {
    auto figures = figures_from_file(*scenario.full_model_path);
    if (!figures) return figures.status();
    scenario.full = *figures;
  }
  return Status::ok();
}

}  // namespace tierml::advise
