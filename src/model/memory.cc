#include "model/memory.h"

#include <algorithm>
#include <vector>

namespace tierml::model {
namespace {

constexpr int32_t kUnused = -2;

struct LiveRange {
  int32_t first = kUnused;  // -1: live before the first operator
  int32_t last = kUnused;
};

void extend(LiveRange& range, int32_t at) {
  if (range.first == kUnused || at < range.first) range.first = at;
  range.last = std::max(range.last, at);
}

int64_t known_bytes(const Tensor& tensor) {
  return std::max<int64_t>(tensor_bytes(tensor), 0);
}

bool valid_index(const Graph& graph, int32_t index) {
  return index >= 0 && index < static_cast<int32_t>(graph.tensors.size());
}

std::vector<LiveRange> live_ranges(const Graph& graph) {
  std::vector<LiveRange> ranges(graph.tensors.size());
  const auto num_ops = static_cast<int32_t>(graph.operators.size());
  for (int32_t t : graph.inputs) {
    if (valid_index(graph, t)) extend(ranges[t], -1);
  }
  for (int32_t i = 0; i < num_ops; ++i) {
    const Operator& op = graph.operators[i];
    for (int32_t t : op.inputs) {
      if (valid_index(graph, t)) extend(ranges[t], i);
    }
    for (int32_t t : op.outputs) {
      if (valid_index(graph, t)) extend(ranges[t], i);
    }
  }
  for (int32_t t : graph.outputs) {
    if (valid_index(graph, t)) extend(ranges[t], num_ops);
  }
  return ranges;
}

}  // namespace

MemorySummary summarize_memory(const Graph& graph) {
  MemorySummary summary;
  const std::vector<LiveRange> ranges = live_ranges(graph);
  for (size_t i = 0; i < graph.tensors.size(); ++i) {
    const Tensor& tensor = graph.tensors[i];
    if (tensor.is_constant()) {
      summary.weight_bytes += static_cast<int64_t>(tensor.data.size());
      ++summary.weight_tensors;
    } else if (tensor.is_variable) {
      summary.state_bytes += known_bytes(tensor);
      ++summary.state_tensors;
    } else if (ranges[i].first != kUnused) {
      const int64_t bytes = known_bytes(tensor);
      summary.activation_bytes += bytes;
      ++summary.activation_tensors;
      if (summary.largest_activation < 0 ||
          bytes > summary.largest_activation_bytes) {
        summary.largest_activation = static_cast<int32_t>(i);
        summary.largest_activation_bytes = bytes;
      }
    }
  }

  const auto num_ops = static_cast<int32_t>(graph.operators.size());
  summary.arena_estimate_bytes = summary.state_bytes;
  for (int32_t op = 0; op < num_ops; ++op) {
    int64_t live = summary.state_bytes;
    for (size_t t = 0; t < graph.tensors.size(); ++t) {
      const Tensor& tensor = graph.tensors[t];
      if (tensor.is_constant() || tensor.is_variable) continue;
      if (ranges[t].first <= op && op <= ranges[t].last) {
        live += known_bytes(tensor);
      }
    }
    if (live > summary.arena_estimate_bytes ||
        summary.arena_peak_operator < 0) {
      summary.arena_estimate_bytes = live;
      summary.arena_peak_operator = op;
    }
  }
  return summary;
}

}  // namespace tierml::model
