#include "plan/liveness.h"

#include <algorithm>
#include <string>

#include "plan/scratch.h"

namespace tierml::plan {
namespace {

int64_t round_up(int64_t bytes, int64_t alignment) {
  return (bytes + alignment - 1) / alignment * alignment;
}

std::string tensor_label(const model::Graph& graph, int32_t t) {
  return "tensor " + std::to_string(t) + " (" + graph.tensors[t].name + ")";
}

}  // namespace

Expected<GraphUses> analyze_graph(const model::Graph& graph, int64_t alignment,
                                  bool allow_sharing) {
  if (alignment <= 0 || (alignment & (alignment - 1)) != 0) {
    return invalid_argument("alignment " + std::to_string(alignment) +
                            " is not a positive power of two");
  }
  if (graph.operators.empty()) {
    return invalid_argument("the graph has no operators to plan");
  }
  GraphUses u;
  u.alignment = alignment;
  u.num_ops = static_cast<int32_t>(graph.operators.size());
  u.num_tensors = static_cast<int32_t>(graph.tensors.size());
  const auto n = static_cast<size_t>(u.num_tensors);
  std::vector<bool> referenced(n, false), graph_input(n, false);
  u.planned.assign(n, false);
  u.variable.assign(n, false);
  u.pinned.assign(n, false);
  u.producer.assign(n, -1);
  u.num_consumers.assign(n, 0);
  u.bytes.assign(n, 0);
  u.aligned_bytes.assign(n, 0);
  auto valid = [&](int32_t t) { return t >= 0 && t < u.num_tensors; };

  for (int32_t t : graph.inputs) {
    if (!valid(t)) {
      return malformed_model("graph input tensor " + std::to_string(t) +
                             " out of range");
    }
    referenced[t] = true;
    graph_input[t] = true;
  }
  for (int32_t t : graph.outputs) {
    if (!valid(t)) {
      return malformed_model("graph output tensor " + std::to_string(t) +
                             " out of range");
    }
    referenced[t] = true;
    u.pinned[t] = true;
  }
  for (int32_t i = 0; i < u.num_ops; ++i) {
    const model::Operator& op = graph.operators[i];
    const std::string where = "operator " + std::to_string(i) + " (" +
                              model::op_name(op.builtin_code) + ")";
    for (int32_t t : op.inputs) {
      if (t == -1) continue;  // absent optional input
      if (!valid(t)) {
        return malformed_model(where + ": input tensor " + std::to_string(t) +
                               " out of range");
      }
      referenced[t] = true;
    }
    for (int32_t t : op.outputs) {
      if (!valid(t)) {
        return malformed_model(where + ": output tensor " + std::to_string(t) +
                               " out of range");
      }
      if (graph.tensors[t].is_constant() && !graph.tensors[t].is_variable) {
        return malformed_model(where + " writes constant " +
                               tensor_label(graph, t));
      }
      if (graph_input[t]) {
        return malformed_model(where + " writes graph input " +
                               tensor_label(graph, t));
      }
      if (u.producer[t] >= 0) {
        return malformed_model(
            tensor_label(graph, t) + " is written by operators " +
            std::to_string(u.producer[t]) + " and " + std::to_string(i));
      }
      u.producer[t] = i;
      referenced[t] = true;
    }
  }

  for (size_t t = 0; t < n; ++t) {
    const model::Tensor& tensor = graph.tensors[t];
    // Variables live in the arena even when the file gives initial values.
    if (!referenced[t] || (tensor.is_constant() && !tensor.is_variable)) {
      continue;
    }
    const int64_t bytes = model::tensor_bytes(tensor);
    if (bytes < 0) {
      return unsupported(tensor_label(graph, static_cast<int32_t>(t)) +
                         " has no fixed size (type " +
                         model::type_name(tensor.type) + ", shape " +
                         model::shape_string(tensor.shape) + ")");
    }
    u.planned[t] = true;
    u.variable[t] = tensor.is_variable;
    if (tensor.is_variable) u.pinned[t] = true;
    u.bytes[t] = bytes;
    u.aligned_bytes[t] = round_up(bytes, alignment);
  }

  u.reads.resize(u.num_ops);
  u.writes.resize(u.num_ops);
  u.scratch.assign(u.num_ops, 0);
  u.share.resize(u.num_ops);
  u.predecessors.resize(u.num_ops);
  for (int32_t i = 0; i < u.num_ops; ++i) {
    const model::Operator& op = graph.operators[i];
    for (int32_t t : op.inputs) {
      if (t == -1 || !u.planned[t]) continue;
      auto& reads = u.reads[i];
      if (std::find(reads.begin(), reads.end(), t) != reads.end()) continue;
      if (u.producer[t] == i) {
        return malformed_model("operator " + std::to_string(i) +
                               " reads its own output " +
                               tensor_label(graph, t));
      }
      reads.push_back(t);
      ++u.num_consumers[t];
      const int32_t p = u.producer[t];
      auto& preds = u.predecessors[i];
      if (p >= 0 && std::find(preds.begin(), preds.end(), p) == preds.end()) {
        preds.push_back(p);
      }
    }
    for (int32_t t : op.outputs) u.writes[i].push_back(t);
    Expected<int64_t> scratch = scratch_bytes(graph, i);
    if (!scratch) return scratch.status();
    u.scratch[i] = *scratch;
    if (allow_sharing) u.share[i] = share_rule(graph, i);
  }
  return u;
}

bool is_topological(const GraphUses& uses, const std::vector<int32_t>& order) {
  if (static_cast<int32_t>(order.size()) != uses.num_ops) return false;
  std::vector<bool> done(uses.num_ops, false);
  for (int32_t op : order) {
    if (op < 0 || op >= uses.num_ops || done[op]) return false;
    for (int32_t p : uses.predecessors[op]) {
      if (!done[p]) return false;
    }
    done[op] = true;
  }
  return true;
}

Simulator::Simulator(const GraphUses& uses)
    : uses_(&uses),
      root_(uses.num_tensors, -1),
      pending_(uses.num_tensors, 0),
      alias_(uses.num_tensors, -1),
      freed_(uses.num_tensors, false),
      executed_(uses.num_ops, false) {
  for (int32_t t = 0; t < uses.num_tensors; ++t) {
    if (!uses.planned[t] || uses.producer[t] >= 0) continue;
    root_[t] = t;
    pending_[t] = uses.num_consumers[t] + (uses.pinned[t] ? 1 : 0);
    allocated_ += uses.aligned_bytes[t];
    initial_.push_back(t);
  }
}

bool Simulator::can_take(int32_t op, int32_t candidate, ShareKind kind) const {
  const int32_t r = root_[candidate];
  if (r < 0 || freed_[r]) return false;
  if (kind == ShareKind::kView) return true;
  // In place: nothing sharing these bytes is read after this operator, and
  // no other operand of it shares them (it could be read at another index).
  if (pending_[r] != 0) return false;
  for (int32_t t : uses_->reads[op]) {
    if (t != candidate && root_[t] == r) return false;
  }
  return true;
}

void Simulator::release(int32_t root) {
  if (root < 0 || freed_[root] || pending_[root] != 0) return;
  freed_[root] = true;
  allocated_ -= uses_->aligned_bytes[root];
}

int64_t Simulator::step(int32_t op) {
  const GraphUses& u = *uses_;
  int64_t peak = allocated_ +
                 (u.scratch[op] + u.alignment - 1) / u.alignment * u.alignment;
  for (int32_t t : u.reads[op]) {
    if (root_[t] >= 0) --pending_[root_[t]];
  }
  const std::vector<int32_t>& writes = u.writes[op];
  for (size_t k = 0; k < writes.size(); ++k) {
    const int32_t t = writes[k];
    if (!u.planned[t] || root_[t] >= 0) continue;
    const ShareRule& rule = u.share[op];
    bool shared = false;
    if (k == 0 && rule.kind != ShareKind::kNone) {
      for (int32_t c : rule.candidates) {
        if (!can_take(op, c, rule.kind)) continue;
        root_[t] = root_[c];
        alias_[t] = c;
        shared = true;
        break;
      }
    }
    if (!shared) {
      root_[t] = t;
      allocated_ += u.aligned_bytes[t];
      peak += u.aligned_bytes[t];
    }
    pending_[root_[t]] += u.num_consumers[t] + (u.pinned[t] ? 1 : 0);
  }
  executed_[op] = true;
  for (int32_t t : u.reads[op]) release(root_[t]);
  for (int32_t t : writes) {
    if (u.planned[t]) release(root_[t]);
  }
  if (steps_ == 0) {
    for (int32_t t : initial_) release(root_[t]);
  }
  ++steps_;
  return peak;
}

Liveness compute_liveness(const GraphUses& uses,
                          const std::vector<int32_t>& order) {
  Liveness live;
  const auto steps = static_cast<int32_t>(order.size());
  std::vector<int32_t> first(uses.num_tensors, -1), last(uses.num_tensors, -1);
  Simulator sim(uses);
  for (int32_t t = 0; t < uses.num_tensors; ++t) {
    if (uses.planned[t] && uses.producer[t] < 0) first[t] = 0;
  }
  for (int32_t s = 0; s < steps; ++s) {
    const int32_t op = order[s];
    const int64_t peak = sim.step(op);
    live.live_bytes_per_step.push_back(peak);
    live.peak_live_bytes = std::max(live.peak_live_bytes, peak);
    for (int32_t t : uses.reads[op]) last[t] = s;
    for (int32_t t : uses.writes[op]) {
      if (!uses.planned[t]) continue;
      first[t] = s;
      last[t] = std::max(last[t], s);
    }
  }

  std::vector<int32_t> buffer_of(uses.num_tensors, -1);
  for (int32_t t = 0; t < uses.num_tensors; ++t) {
    if (!uses.planned[t]) continue;
    Buffer b;
    b.kind =
        uses.variable[t] ? Buffer::Kind::kState : Buffer::Kind::kActivation;
    b.tensor = t;
    b.offset = 0;
    b.bytes = uses.bytes[t];
    b.first_step = std::max(first[t], 0);
    b.last_step = uses.pinned[t] ? steps - 1 : std::max(last[t], b.first_step);
    if (uses.variable[t]) b.first_step = 0;
    b.aliases_tensor = sim.alias_of(t);
    buffer_of[t] = static_cast<int32_t>(live.buffers.size());
    live.buffers.push_back(b);
  }
  for (const Buffer& b : live.buffers) {
    int32_t root = b.tensor;
    while (sim.alias_of(root) >= 0) root = sim.alias_of(root);
    live.group.push_back(buffer_of[root]);
  }
  for (int32_t s = 0; s < steps; ++s) {
    const int32_t op = order[s];
    if (uses.scratch[op] <= 0) continue;
    Buffer b;
    b.kind = Buffer::Kind::kScratch;
    b.operator_index = op;
    b.bytes = uses.scratch[op];
    b.first_step = s;
    b.last_step = s;
    live.group.push_back(static_cast<int32_t>(live.buffers.size()));
    live.buffers.push_back(b);
  }
  return live;
}

}  // namespace tierml::plan
