// A second, independent check of a plan: "runs" the model on a shadow arena
// where every byte records which value it holds. Each operator, in the
// plan's order, first checks that every input still holds what its producer
// wrote (a view holds its input's value), then scribbles over its scratch,
// checks the inputs again (kernels read them while using scratch), writes
// its outputs and checks the inputs once more. At the end the graph outputs and
// the state must be intact. It knows nothing of lifetimes or validate_plan's
// rules, only what the generated code will do with the offsets.
#ifndef TIERML_TESTS_UNIT_PLAN_SHADOW_RUN_H_
#define TIERML_TESTS_UNIT_PLAN_SHADOW_RUN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "model/graph.h"
#include "plan/plan.h"
#include "plan/sharing.h"

namespace tierml::testing {

// Empty when the run is clean, else the first clobbered read.
inline std::string shadow_run(const model::Graph& graph,
                              const plan::Plan& plan) {
  const auto tensors = static_cast<int32_t>(graph.tensors.size());
  std::vector<int32_t> shadow(static_cast<size_t>(plan.arena_bytes), -1);
  std::vector<const plan::Buffer*> buffer_of(tensors, nullptr);
  std::vector<const plan::Buffer*> scratch_of(graph.operators.size(), nullptr);
  for (const plan::Buffer& b : plan.buffers) {
    if (b.kind == plan::Buffer::Kind::kScratch) {
      scratch_of[b.operator_index] = &b;
    } else {
      buffer_of[b.tensor] = &b;
    }
  }
  // The value a tensor holds: its own index, or its input's for a view.
  std::vector<int32_t> value(tensors);
  for (int32_t t = 0; t < tensors; ++t) value[t] = t;
  int32_t next_token = tensors;
  auto fill = [&](const plan::Buffer* b, int32_t token) {
    for (int64_t i = 0; i < b->bytes; ++i) shadow[b->offset + i] = token;
  };
  auto holds = [&](int32_t t) {
    const plan::Buffer* b = buffer_of[t];
    if (b == nullptr) return false;
    for (int64_t i = 0; i < b->bytes; ++i) {
      if (shadow[b->offset + i] != value[t]) return false;
    }
    return true;
  };
  auto in_arena = [&](int32_t t) {
    return t >= 0 &&
           (!graph.tensors[t].is_constant() || graph.tensors[t].is_variable);
  };
  for (int32_t t = 0; t < tensors; ++t) {
    const bool produced = [&] {
      for (const model::Operator& op : graph.operators) {
        for (int32_t o : op.outputs) {
          if (o == t) return true;
        }
      }
      return false;
    }();
    if (in_arena(t) && !produced && buffer_of[t] != nullptr) {
      fill(buffer_of[t], value[t]);  // inputs and state, before the run
    }
  }
  for (size_t s = 0; s < plan.order.size(); ++s) {
    const int32_t op_index = plan.order[s];
    const model::Operator& op = graph.operators[op_index];
    const std::string where = "step " + std::to_string(s) + " (operator " +
                              std::to_string(op_index) + " " +
                              model::op_name(op.builtin_code) + ")";
    auto check_inputs = [&]() -> std::string {
      for (int32_t t : op.inputs) {
        if (in_arena(t) && !holds(t)) {
          return where + ": input tensor " + std::to_string(t) +
                 " was overwritten";
        }
      }
      return "";
    };
    if (std::string e = check_inputs(); !e.empty()) return e;
    if (scratch_of[op_index] != nullptr) {
      fill(scratch_of[op_index], next_token++);
      if (std::string e = check_inputs(); !e.empty()) return e + " by scratch";
    }
    for (int32_t t : op.outputs) {
      if (plan::is_view_op(op.builtin_code) && !op.inputs.empty() &&
          buffer_of[t] != nullptr && buffer_of[t]->aliases_tensor >= 0) {
        value[t] = value[op.inputs[0]];  // the copy is a no-op
      }
      if (buffer_of[t] == nullptr) return where + ": output has no buffer";
      fill(buffer_of[t], value[t]);
    }
    // Kernels read their inputs while they write: an input must survive the
    // outputs, except one an elementwise kernel overwrites exactly in place
    // (same bytes, read element by element before the write; those kernels
    // are checked in in_place_kernels_test.cc).
    for (int32_t in : op.inputs) {
      if (!in_arena(in) || holds(in)) continue;
      bool exact_in_place = false;
      for (int32_t out : op.outputs) {
        exact_in_place = exact_in_place ||
                         (plan::is_in_place_op(op.builtin_code) &&
                          buffer_of[out]->offset == buffer_of[in]->offset &&
                          buffer_of[out]->bytes == buffer_of[in]->bytes);
      }
      if (!exact_in_place) {
        return where + ": input tensor " + std::to_string(in) +
               " overwritten by the operator's own output";
      }
    }
  }
  for (int32_t t : graph.outputs) {
    if (!holds(t)) return "graph output " + std::to_string(t) + " clobbered";
  }
  for (int32_t t = 0; t < tensors; ++t) {
    if (graph.tensors[t].is_variable && buffer_of[t] && !holds(t)) {
      return "state tensor " + std::to_string(t) + " clobbered";
    }
  }
  return "";
}

}  // namespace tierml::testing

#endif  // TIERML_TESTS_UNIT_PLAN_SHADOW_RUN_H_
