// validate_plan: an independent check of a plan against its graph, written
// apart from the planner and kept simple (quadratic loops, no shared
// helpers) so that a bug in liveness, sharing or placement shows up here
// rather than as corrupted activations. Its list of operators that may
// write over an input is its own, from the kernel sources (see sharing.h
// for the reasoning).
#include <algorithm>
#include <string>
#include <vector>

#include "plan/plan.h"
#include "tierml/builtin_ops.h"

namespace tierml::plan {
namespace {

std::string describe(const Buffer& b, size_t index) {
  std::string text = "buffer " + std::to_string(index);
  if (b.kind == Buffer::Kind::kScratch) {
    return text + " (scratch of operator " + std::to_string(b.operator_index) +
           ")";
  }
  return text + " (tensor " + std::to_string(b.tensor) + ")";
}

bool views_input(int32_t code) {
  return code == kTmOpReshape || code == kTmOpSqueeze ||
         code == kTmOpExpandDims;
}

// Operand positions an operator may write its output over.
std::vector<size_t> in_place_operands(int32_t code) {
  switch (code) {
    case kTmOpAdd:
    case kTmOpSub:
    case kTmOpMul:
      return {0, 1};
    case kTmOpPrelu:
    case kTmOpRelu:
    case kTmOpRelu6:
    case kTmOpLeakyRelu:
    case kTmOpHardSwish:
    case kTmOpLogistic:
    case kTmOpTanh:
    case kTmOpQuantize:
      return {0};
    default:
      return {};
  }
}

int64_t rounded(int64_t bytes, int64_t alignment) {
  return (bytes + alignment - 1) / alignment * alignment;
}

}  // namespace

Status validate_plan(const model::Graph& graph, const Plan& plan) {
  const auto num_ops = static_cast<int32_t>(graph.operators.size());
  const auto num_tensors = static_cast<int32_t>(graph.tensors.size());
  const int64_t align = plan.alignment;
  if (align <= 0 || (align & (align - 1)) != 0) {
    return invalid_argument("alignment " + std::to_string(align) +
                            " is not a positive power of two");
  }
  if (plan.arena_bytes < 0 || plan.arena_bytes % align != 0) {
    return invalid_argument("arena size " + std::to_string(plan.arena_bytes) +
                            " is not a multiple of the alignment");
  }

  // The order: every operator once, each after the producers of its inputs.
  if (static_cast<int32_t>(plan.order.size()) != num_ops) {
    return invalid_argument("order has " + std::to_string(plan.order.size()) +
                            " steps for " + std::to_string(num_ops) +
                            " operators");
  }
  std::vector<int32_t> step_of(num_ops, -1);
  for (int32_t s = 0; s < num_ops; ++s) {
    const int32_t op = plan.order[s];
    if (op < 0 || op >= num_ops) {
      return invalid_argument("step " + std::to_string(s) + ": operator " +
                              std::to_string(op) + " out of range");
    }
    if (step_of[op] >= 0) {
      return invalid_argument("operator " + std::to_string(op) +
                              " appears twice in the order");
    }
    step_of[op] = s;
  }
  std::vector<int32_t> producer(num_tensors, -1);
  for (int32_t op = 0; op < num_ops; ++op) {
    for (int32_t t : graph.operators[op].outputs) {
      if (t < 0 || t >= num_tensors) {
        return invalid_argument("operator " + std::to_string(op) +
                                " writes tensor " + std::to_string(t) +
                                " out of range");
      }
      if (producer[t] >= 0) {
        return invalid_argument("tensor " + std::to_string(t) +
                                " has two producers");
      }
      producer[t] = op;
    }
  }
  for (int32_t op = 0; op < num_ops; ++op) {
    for (int32_t t : graph.operators[op].inputs) {
      if (t < 0 || t >= num_tensors || producer[t] < 0) continue;
      if (step_of[producer[t]] >= step_of[op]) {
        return invalid_argument(
            "order is not topological: operator " + std::to_string(op) +
            " (step " + std::to_string(step_of[op]) + ") reads tensor " +
            std::to_string(t) + " written by operator " +
            std::to_string(producer[t]) + " (step " +
            std::to_string(step_of[producer[t]]) + ")");
      }
    }
  }

  // Which tensors need a buffer (activations and state, not weights), and
  // the steps that must see them.
  auto in_arena = [&](int32_t t) {
    return t >= 0 && t < num_tensors &&
           (!graph.tensors[t].is_constant() || graph.tensors[t].is_variable);
  };
  std::vector<bool> needed(num_tensors, false), is_input(num_tensors, false),
      is_output(num_tensors, false);
  std::vector<int32_t> first_need(num_tensors, num_ops),
      last_need(num_tensors, -1);
  auto need = [&](int32_t t, int32_t step) {
    if (!in_arena(t)) return;
    needed[t] = true;
    first_need[t] = std::min(first_need[t], step);
    last_need[t] = std::max(last_need[t], step);
  };
  for (int32_t t : graph.inputs) {
    need(t, 0);
    if (t >= 0 && t < num_tensors) is_input[t] = true;
  }
  for (int32_t t : graph.outputs) {
    need(t, num_ops - 1);
    if (t >= 0 && t < num_tensors) is_output[t] = true;
  }
  for (int32_t op = 0; op < num_ops; ++op) {
    for (int32_t t : graph.operators[op].inputs) need(t, step_of[op]);
    for (int32_t t : graph.operators[op].outputs) need(t, step_of[op]);
  }

  // Each buffer on its own.
  const auto count = static_cast<int32_t>(plan.buffers.size());
  std::vector<int32_t> buffer_of(num_tensors, -1);
  std::vector<bool> has_scratch(num_ops, false);
  for (int32_t i = 0; i < count; ++i) {
    const Buffer& b = plan.buffers[i];
    const std::string name = describe(b, i);
    if (b.offset < 0 || b.bytes < 0 || b.offset % align != 0) {
      return invalid_argument(name + ": offset " + std::to_string(b.offset) +
                              " negative or not aligned to " +
                              std::to_string(align));
    }
    if (b.bytes > plan.arena_bytes - b.offset) {  // no overflow: both >= 0
      return invalid_argument(name + ": [" + std::to_string(b.offset) + ", " +
                              std::to_string(b.offset + b.bytes) +
                              ") is out of the arena of " +
                              std::to_string(plan.arena_bytes) + " bytes");
    }
    if (b.first_step < 0 || b.first_step > b.last_step ||
        b.last_step >= num_ops) {
      return invalid_argument(name + ": steps " + std::to_string(b.first_step) +
                              ".." + std::to_string(b.last_step) + " invalid");
    }
    if (b.kind == Buffer::Kind::kScratch) {
      if (b.operator_index < 0 || b.operator_index >= num_ops ||
          has_scratch[b.operator_index]) {
        return invalid_argument(name + ": no operator or a second scratch");
      }
      has_scratch[b.operator_index] = true;
      const int32_t s = step_of[b.operator_index];
      if (b.first_step != s || b.last_step != s) {
        return invalid_argument(name + ": must live exactly at step " +
                                std::to_string(s));
      }
      if (b.aliases_tensor >= 0) {
        return invalid_argument(name + ": scratch cannot alias a tensor");
      }
      continue;
    }
    const int32_t t = b.tensor;
    if (!in_arena(t)) {
      return invalid_argument(name + ": not a tensor that lives in the arena");
    }
    if (buffer_of[t] >= 0) {
      return invalid_argument(name + ": tensor " + std::to_string(t) +
                              " already has buffer " +
                              std::to_string(buffer_of[t]));
    }
    buffer_of[t] = i;
    const bool state = graph.tensors[t].is_variable;
    if (state != (b.kind == Buffer::Kind::kState)) {
      return invalid_argument(name + ": kind does not match the tensor (" +
                              (state ? "variable" : "activation") + ")");
    }
    if (b.bytes < model::tensor_bytes(graph.tensors[t])) {
      return invalid_argument(
          name + ": " + std::to_string(b.bytes) + " bytes, the tensor needs " +
          std::to_string(model::tensor_bytes(graph.tensors[t])));
    }
    const int32_t from = state ? 0 : first_need[t];
    const int32_t to = state ? num_ops - 1 : last_need[t];
    if (needed[t] && (b.first_step > from || b.last_step < to)) {
      return invalid_argument(name + ": live " + std::to_string(b.first_step) +
                              ".." + std::to_string(b.last_step) +
                              " but used " + std::to_string(from) + ".." +
                              std::to_string(to));
    }
    if (is_input[t] && b.first_step != 0) {
      return invalid_argument(name + ": graph input must be live from step 0");
    }
  }
  for (int32_t t = 0; t < num_tensors; ++t) {
    if (needed[t] && buffer_of[t] < 0) {
      return invalid_argument("tensor " + std::to_string(t) + " (" +
                              graph.tensors[t].name + ") has no buffer");
    }
  }

  // Declared sharing: legal operator, operand, size and placement.
  std::vector<int32_t> family(count);
  for (int32_t i = 0; i < count; ++i) {
    int32_t at = i;
    int32_t hops = 0;
    while (plan.buffers[at].aliases_tensor >= 0) {
      const int32_t target = plan.buffers[at].aliases_tensor;
      if (target >= num_tensors || buffer_of[target] < 0 || ++hops > count) {
        return invalid_argument(describe(plan.buffers[at], at) +
                                ": aliases tensor " + std::to_string(target) +
                                " which has no buffer (or a cycle)");
      }
      at = buffer_of[target];
    }
    family[i] = at;
  }
  for (int32_t i = 0; i < count; ++i) {
    const Buffer& b = plan.buffers[i];
    if (b.aliases_tensor < 0) continue;
    const std::string name = describe(b, i);
    const Buffer& target = plan.buffers[buffer_of[b.aliases_tensor]];
    if (b.kind != Buffer::Kind::kActivation ||
        target.kind != Buffer::Kind::kActivation) {
      return invalid_argument(name + ": only activations may share bytes");
    }
    if (target.offset != b.offset || target.bytes != b.bytes) {
      return invalid_argument(name + ": shares tensor " +
                              std::to_string(b.aliases_tensor) +
                              " but offset or size differ");
    }
    const int32_t p = producer[b.tensor];
    if (p < 0) {
      return invalid_argument(name +
                              ": a tensor no operator writes cannot "
                              "share another's bytes");
    }
    const model::Operator& op = graph.operators[p];
    const std::string at_op = "operator " + std::to_string(p) + " (" +
                              model::op_name(op.builtin_code) + ")";
    if (op.outputs.size() != 1) {
      return invalid_argument(name + ": " + at_op + " has several outputs");
    }
    const model::Tensor& out = graph.tensors[b.tensor];
    const model::Tensor& in = graph.tensors[b.aliases_tensor];
    if (views_input(op.builtin_code)) {
      if (op.inputs.empty() || op.inputs[0] != b.aliases_tensor) {
        return invalid_argument(name + ": " + at_op + " does not view tensor " +
                                std::to_string(b.aliases_tensor));
      }
      continue;
    }
    bool operand = false;
    for (size_t k : in_place_operands(op.builtin_code)) {
      operand =
          operand || (k < op.inputs.size() && op.inputs[k] == b.aliases_tensor);
    }
    if (!operand) {
      return invalid_argument(name + ": " + at_op +
                              " may not write its output over tensor " +
                              std::to_string(b.aliases_tensor));
    }
    if (tm_type_size(in.type) != tm_type_size(out.type) || in.type == kTmInt4 ||
        out.type == kTmInt4 ||
        model::element_count(in.shape) != model::element_count(out.shape) ||
        (in.type != out.type && op.builtin_code != kTmOpQuantize)) {
      return invalid_argument(name + ": in place over tensor " +
                              std::to_string(b.aliases_tensor) +
                              " needs equal element count and size");
    }
    // Nothing else sharing these bytes may be read after the overwrite, and
    // the other operand must not share them (read at another index).
    const int32_t s = step_of[p];
    for (int32_t j = 0; j < count; ++j) {
      if (j == i || family[j] != family[i]) continue;
      int32_t at = j;
      bool descendant = false;
      while (!descendant && plan.buffers[at].aliases_tensor >= 0) {
        at = buffer_of[plan.buffers[at].aliases_tensor];
        descendant = at == i;
      }
      if (descendant) continue;
      if (plan.buffers[j].last_step > s) {
        return invalid_argument(name + ": " + at_op + " overwrites bytes " +
                                describe(plan.buffers[j], j) +
                                " still needs after step " + std::to_string(s));
      }
      for (int32_t t : op.inputs) {
        if (t == plan.buffers[j].tensor && t != b.aliases_tensor) {
          return invalid_argument(name + ": the other operand of " + at_op +
                                  " shares the overwritten bytes");
        }
      }
    }
  }

  // No two buffers alive at one step overlap, unless they share bytes.
  for (int32_t i = 0; i < count; ++i) {
    const Buffer& a = plan.buffers[i];
    for (int32_t j = i + 1; j < count; ++j) {
      const Buffer& b = plan.buffers[j];
      const bool in_time =
          a.first_step <= b.last_step && b.first_step <= a.last_step;
      const bool in_space = a.bytes > 0 && b.bytes > 0 &&
                            a.offset < b.offset + b.bytes &&
                            b.offset < a.offset + a.bytes;
      if (in_time && in_space && family[i] != family[j]) {
        return invalid_argument(describe(a, i) + " and " + describe(b, j) +
                                " overlap in bytes while both are live");
      }
    }
  }

  // The per-step figures: each family counted once at its rounded size.
  if (plan.live_bytes_per_step.size() != static_cast<size_t>(num_ops)) {
    return invalid_argument("live_bytes_per_step has " +
                            std::to_string(plan.live_bytes_per_step.size()) +
                            " entries for " + std::to_string(num_ops) +
                            " steps");
  }
  int64_t peak = 0;
  for (int32_t s = 0; s < num_ops; ++s) {
    int64_t live = 0;
    for (int32_t root = 0; root < count; ++root) {
      if (family[root] != root) continue;
      bool alive = false;
      for (int32_t j = 0; j < count; ++j) {
        alive =
            alive || (family[j] == root && plan.buffers[j].first_step <= s &&
                      s <= plan.buffers[j].last_step);
      }
      if (alive) live += rounded(plan.buffers[root].bytes, align);
    }
    if (plan.live_bytes_per_step[s] != live) {
      return invalid_argument("step " + std::to_string(s) +
                              ": live_bytes_per_step says " +
                              std::to_string(plan.live_bytes_per_step[s]) +
                              ", buffers add to " + std::to_string(live));
    }
    peak = std::max(peak, live);
  }
  if (plan.peak_live_bytes != peak) {
    return invalid_argument(
        "peak_live_bytes " + std::to_string(plan.peak_live_bytes) +
        " but the largest step holds " + std::to_string(peak));
  }
  return Status::ok();
}

}  // namespace tierml::plan
