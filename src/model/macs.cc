#include "model/macs.h"

#include <initializer_list>
#include <limits>

namespace tierml::model {
namespace {

constexpr int64_t kUnknown = -1;

const Tensor* tensor_at(const Graph& graph, const std::vector<int32_t>& list,
                        size_t i) {
  if (i >= list.size()) return nullptr;
  const int32_t index = list[i];
  if (index < 0 || index >= static_cast<int32_t>(graph.tensors.size())) {
    return nullptr;
  }
  return &graph.tensors[index];
}

int64_t elements(const Tensor* tensor) {
  return tensor ? element_count(tensor->shape) : kUnknown;
}

int64_t dim(const Tensor* tensor, size_t rank, size_t axis) {
  if (!tensor || tensor->shape.size() != rank) return kUnknown;
  return tensor->shape[axis];
}

// Product of factors; kUnknown if any is unknown or the product overflows.
int64_t product(std::initializer_list<int64_t> factors) {
  int64_t result = 1;
  for (int64_t f : factors) {
    if (f < 0 || __builtin_mul_overflow(result, f, &result)) return kUnknown;
  }
  return result;
}

int64_t lstm_macs(const Graph& graph, const Operator& op) {
  const Tensor* input = tensor_at(graph, op.inputs, 0);
  if (!input || input->shape.empty()) return kUnknown;
  const int64_t n_input = input->shape.back();
  if (n_input <= 0) return kUnknown;
  const int64_t input_elements = elements(input);
  if (input_elements < 0) return kUnknown;
  const int64_t steps = input_elements / n_input;  // batch * time
  // Input-to-gate (1-4), recurrent-to-gate (5-8), peephole (9-11) and
  // projection (16) weights; absent ones (CIFG, no peephole) count nothing.
  int64_t weights = 0;
  for (size_t i : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16}) {
    const Tensor* w = tensor_at(graph, op.inputs, i);
    if (!w) continue;
    const int64_t count = elements(w);
    if (count < 0) return kUnknown;
    weights += count;
  }
  return product({steps, weights});
}

int64_t counted_macs(const Graph& graph, const Operator& op) {
  const auto in = [&](size_t i) { return tensor_at(graph, op.inputs, i); };
  const Tensor* output = tensor_at(graph, op.outputs, 0);
  switch (op.builtin_code) {
    case kTmOpConv2d: {
      const Tensor* filter = in(1);
      return product({elements(output), dim(filter, 4, 1), dim(filter, 4, 2),
                      dim(filter, 4, 3)});
    }
    case kTmOpDepthwiseConv2d: {
      const Tensor* filter = in(1);
      return product({elements(output), dim(filter, 4, 1), dim(filter, 4, 2)});
    }
    case kTmOpFullyConnected: {
      const Tensor* weights = in(1);
      return product({elements(output), dim(weights, 2, 1)});
    }
    case kTmOpTransposeConv: {
      const Tensor* filter = in(1);
      return product({elements(in(2)), dim(filter, 4, 0), dim(filter, 4, 1),
                      dim(filter, 4, 2)});
    }
    case kTmOpSvdf: {
      const int64_t feature = elements(in(1));
      const int64_t time = elements(in(2));
      if (feature < 0 || time < 0) return kUnknown;
      return product({dim(in(0), 2, 0), feature + time});
    }
    case kTmOpUnidirectionalSequenceLstm:
      return lstm_macs(graph, op);
    case kTmOpAveragePool2d:
    case kTmOpMaxPool2d:
      return product({elements(output), op.attrs.u.pool.filter_w,
                      op.attrs.u.pool.filter_h});
    case kTmOpAdd:
    case kTmOpSub:
    case kTmOpMul:
      return elements(output);
    case kTmOpMean:
      return elements(in(0));
    default:
      return 0;
  }
}

}  // namespace

int64_t operator_macs(const Graph& graph, const Operator& op) {
  const int64_t macs = counted_macs(graph, op);
  return macs < 0 ? 0 : macs;
}

int64_t total_macs(const Graph& graph) {
  int64_t total = 0;
  for (const Operator& op : graph.operators) {
    const int64_t macs = operator_macs(graph, op);
    if (__builtin_add_overflow(total, macs, &total)) {
      return std::numeric_limits<int64_t>::max();
    }
  }
  return total;
}

}  // namespace tierml::model
