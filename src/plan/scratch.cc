#include "plan/scratch.h"

#include <string>

#include "kernels/lstm.h"
#include "tierml/builtin_ops.h"

namespace tierml::plan {
namespace {

const model::Tensor* tensor_at(const model::Graph& graph,
                               const model::Operator& op, size_t input) {
  if (input >= op.inputs.size()) return nullptr;
  const int32_t t = op.inputs[input];
  if (t < 0 || t >= static_cast<int32_t>(graph.tensors.size())) return nullptr;
  return &graph.tensors[t];
}

const model::Tensor* output_at(const model::Graph& graph,
                               const model::Operator& op) {
  if (op.outputs.empty()) return nullptr;
  const int32_t t = op.outputs[0];
  if (t < 0 || t >= static_cast<int32_t>(graph.tensors.size())) return nullptr;
  return &graph.tensors[t];
}

Status missing(int32_t op_index, const model::Operator& op, const char* what) {
  return malformed_model("operator " + std::to_string(op_index) + " (" +
                         model::op_name(op.builtin_code) + "): " + what);
}

}  // namespace

Expected<int64_t> scratch_bytes(const model::Graph& graph, int32_t op_index) {
  if (op_index < 0 ||
      op_index >= static_cast<int32_t>(graph.operators.size())) {
    return invalid_argument("operator index " + std::to_string(op_index) +
                            " out of range");
  }
  const model::Operator& op = graph.operators[op_index];
  switch (op.builtin_code) {
    case kTmOpMean: {
      // Integer paths keep one int32 sum per output element.
      const model::Tensor* in = tensor_at(graph, op, 0);
      const model::Tensor* out = output_at(graph, op);
      if (in == nullptr || out == nullptr) {
        return missing(op_index, op, "input or output missing");
      }
      if (in->type != kTmInt8 && in->type != kTmInt16) return int64_t{0};
      const int64_t count = model::element_count(out->shape);
      if (count < 0) return missing(op_index, op, "output shape invalid");
      return count * 4;
    }
    case kTmOpTransposeConv: {
      // One accumulator per output element: int32 for int8, int64 for int16.
      const model::Tensor* in = tensor_at(graph, op, 2);
      const model::Tensor* out = output_at(graph, op);
      if (in == nullptr || out == nullptr) {
        return missing(op_index, op, "input or output missing");
      }
      const int64_t count = model::element_count(out->shape);
      if (count < 0) return missing(op_index, op, "output shape invalid");
      if (in->type == kTmInt8) return count * 4;
      if (in->type == kTmInt16) return count * 8;
      return int64_t{0};
    }
    case kTmOpUnidirectionalSequenceLstm: {
      // Four gate-sized buffers of rows x state elements.
      const model::Tensor* in = tensor_at(graph, op, kTmLstmInput);
      const model::Tensor* state = tensor_at(graph, op, kTmLstmOutputState);
      if (in == nullptr || state == nullptr || in->shape.size() != 3 ||
          state->shape.size() != 2) {
        return missing(op_index, op,
                       "needs a rank-3 input and a rank-2 output state");
      }
      const bool time_major = op.attrs.u.lstm.time_major != 0;
      const int64_t rows = time_major ? in->shape[1] : 1;
      const int64_t state_size = state->shape[1];
      int64_t element = 0;
      if (in->type == kTmInt8 || in->type == kTmInt16) element = 2;
      if (in->type == kTmFloat32) element = 4;
      if (rows < 0 || state_size < 0) {
        return missing(op_index, op, "negative dimension");
      }
      return 4 * rows * state_size * element;
    }
    default:
      return int64_t{0};
  }
}

}  // namespace tierml::plan
