// Human-readable views of a memory plan, for `tierml compile --explain`:
// a text listing (per step: the operator, the buffers live there with
// offsets and sizes, the bytes live and the highest address in use), a
// self-contained SVG timeline (x: steps, y: arena addresses, one labelled
// rectangle per buffer) and a per-step summary for JSON output.
#ifndef TIERML_PLAN_EXPLAIN_H_
#define TIERML_PLAN_EXPLAIN_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/graph.h"
#include "plan/plan.h"

namespace tierml::plan {

struct StepSummary {
  int32_t step = 0;
  int32_t operator_index = 0;
  std::string op;          // "CONV_2D"
  int64_t live_bytes = 0;  // plan.live_bytes_per_step[step]
  int64_t top_bytes = 0;   // highest end of a buffer live here, aligned
  std::vector<int32_t> live_buffers;  // indices into plan.buffers, by offset
};

// One entry per step. The plan should be valid (validate_plan); indices out
// of range are skipped, never read.
std::vector<StepSummary> step_summaries(const model::Graph& graph,
                                        const Plan& plan);

// Largest top_bytes over the steps: the arena the plan actually touches.
int64_t plan_top_bytes(const model::Graph& graph, const Plan& plan);

// "t22 conv2d/Relu": index and the last part of the tensor's name (TFLite
// names are long ';'-joined lists), at most max_chars characters.
std::string buffer_label(const model::Graph& graph, const Buffer& buffer,
                         size_t max_chars = 40);

// The listing, ending with the "peak: N bytes" line (N = plan_top_bytes).
std::string explain_text(const model::Graph& graph, const Plan& plan);

// A complete SVG document (no scripts, no external references); each
// rectangle carries a <title> with the buffer's details.
std::string explain_svg(const model::Graph& graph, const Plan& plan);

// {"arena_bytes", "peak_live_bytes", "alignment", "steps": [{"step",
//  "operator", "op", "live_bytes", "top_bytes"}...], "buffers": [{"kind",
//  "tensor" | "operator", "offset", "bytes", "first_step", "last_step",
//  "shares_tensor"?}...]}
nlohmann::json explain_json(const model::Graph& graph, const Plan& plan);

}  // namespace tierml::plan

#endif  // TIERML_PLAN_EXPLAIN_H_
