#include "plan/sharing.h"

#include "tierml/builtin_ops.h"

namespace tierml::plan {
namespace {

bool valid_tensor(const model::Graph& graph, int32_t t) {
  return t >= 0 && t < static_cast<int32_t>(graph.tensors.size());
}

// Same byte count and element size, both known, and the input lives in the
// arena (not a weight, not state kept across invokes).
bool can_share(const model::Graph& graph, int32_t input, int32_t output) {
  if (!valid_tensor(graph, input) || !valid_tensor(graph, output)) {
    return false;
  }
  const model::Tensor& in = graph.tensors[input];
  const model::Tensor& out = graph.tensors[output];
  if (in.is_constant() || in.is_variable || out.is_variable) return false;
  const int64_t in_bytes = model::tensor_bytes(in);
  const int64_t out_bytes = model::tensor_bytes(out);
  if (in_bytes <= 0 || in_bytes != out_bytes) return false;
  // INT4 packs two per byte: element i is not at byte i * size.
  if (in.type == kTmInt4 || out.type == kTmInt4) return false;
  return tm_type_size(in.type) == tm_type_size(out.type);
}

}  // namespace

bool is_view_op(int32_t builtin_code) {
  return builtin_code == kTmOpReshape || builtin_code == kTmOpSqueeze ||
         builtin_code == kTmOpExpandDims;
}

bool is_in_place_op(int32_t builtin_code) {
  switch (builtin_code) {
    case kTmOpAdd:
    case kTmOpSub:
    case kTmOpMul:
    case kTmOpPrelu:
    case kTmOpRelu:
    case kTmOpRelu6:
    case kTmOpLeakyRelu:
    case kTmOpHardSwish:
    case kTmOpLogistic:
    case kTmOpTanh:
    case kTmOpQuantize:
      return true;
    default:
      return false;
  }
}

ShareRule share_rule(const model::Graph& graph, int32_t op_index) {
  ShareRule rule;
  if (op_index < 0 ||
      op_index >= static_cast<int32_t>(graph.operators.size())) {
    return rule;
  }
  const model::Operator& op = graph.operators[op_index];
  if (op.outputs.size() != 1 || op.inputs.empty()) return rule;
  const int32_t out = op.outputs[0];
  const int32_t code = op.builtin_code;
  if (is_view_op(code)) {
    if (can_share(graph, op.inputs[0], out)) {
      rule.kind = ShareKind::kView;
      rule.candidates.push_back(op.inputs[0]);
    }
    return rule;
  }
  if (!is_in_place_op(code)) return rule;
  // ADD, SUB, MUL: either operand; PRELU: the input, not alpha; unary
  // operators: their only data input. Equal byte and element sizes imply
  // equal element counts, so the operand is not broadcast.
  const bool binary = code == kTmOpAdd || code == kTmOpSub || code == kTmOpMul;
  if (binary && op.inputs.size() != 2) return rule;
  const size_t operands = binary ? 2 : 1;
  for (size_t k = 0; k < operands; ++k) {
    const int32_t in = op.inputs[k];
    if (!can_share(graph, in, out)) continue;
    if (graph.tensors[in].type != graph.tensors[out].type &&
        code != kTmOpQuantize) {
      continue;
    }
    bool seen = false;
    for (int32_t c : rule.candidates) seen = seen || c == in;
    if (!seen) rule.candidates.push_back(in);
  }
  if (!rule.candidates.empty()) rule.kind = ShareKind::kInPlace;
  return rule;
}

}  // namespace tierml::plan
