// Where a model's bytes go: constant weights, activations, persistent state,
// and a first estimate of the activation arena, before any planner runs.
#ifndef TIERML_MODEL_MEMORY_H_
#define TIERML_MODEL_MEMORY_H_

#include <cstdint>

#include "model/graph.h"

namespace tierml::model {

struct MemorySummary {
  int64_t weight_bytes = 0;  // constant tensors' data
  int32_t weight_tensors = 0;
  // Non-constant, non-variable tensors that an operator or the graph's
  // inputs/outputs refer to.
  int64_t activation_bytes = 0;
  int32_t activation_tensors = 0;
  int32_t largest_activation = -1;  // tensor index, -1 if none
  int64_t largest_activation_bytes = 0;
  int64_t state_bytes = 0;  // variable tensors (SVDF, LSTM state)
  int32_t state_tensors = 0;
  // Estimate of the arena: the largest sum, over the operators in execution
  // order, of the activations live at that operator (from the operator that
  // produces one, or the start for graph inputs, to the last operator that
  // reads it, or the end for graph outputs), plus all state. No in-place
  // reuse, alignment, fragmentation or kernel scratch is modelled, so the
  // interpreter's planner can do better or need slightly more.
  int64_t arena_estimate_bytes = 0;
  int32_t arena_peak_operator = -1;  // where the peak is reached
};

// Tensors whose size is unknown (no fixed-size type, bad shape) count 0.
MemorySummary summarize_memory(const Graph& graph);

}  // namespace tierml::model

#endif  // TIERML_MODEL_MEMORY_H_
