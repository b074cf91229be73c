// Which operator outputs may share bytes with one of their inputs, and why
// that is safe. Two kinds:
//  - views (RESHAPE, SQUEEZE, EXPAND_DIMS): the output's bytes are the
//    input's bytes; the kernel's copy is a no-op when both are placed at the
//    same address (kernels/reshape.h allows that);
//  - in-place elementwise operators: the kernel reads element i of the
//    operand before it writes element i of the output and never reads an
//    earlier element again, so writing the output over the operand is
//    bit-exact. Checked in the kernel sources: the unary loops of relu.cc,
//    leaky_relu.cc, hard_swish.cc, logistic.cc, tanh.cc,
//    sigmoid_tanh_s16.cc and quantize.cc (tm_requantize), and
//    broadcast_walk() (kernels/broadcast.h) for ADD, SUB, MUL and PRELU,
//    where an operand that has the output's element count is read at the
//    output's own index. A broadcast operand (fewer elements) is read at
//    repeating indices, so it is never a candidate. An optimized kernel
//    variant that reads ahead (SIMD) must keep this property or these rules
//    must change with it.
// Whether a candidate is used depends on the execution order (the operand
// must not be read after this operator); liveness decides that.
#ifndef TIERML_PLAN_SHARING_H_
#define TIERML_PLAN_SHARING_H_

#include <cstdint>
#include <vector>

#include "model/graph.h"

namespace tierml::plan {

enum class ShareKind { kNone, kView, kInPlace };

struct ShareRule {
  ShareKind kind = ShareKind::kNone;
  // Input tensors the output may take the bytes of, in preference order.
  std::vector<int32_t> candidates;
};

// The rule for output 0 of graph.operators[op_index] (operators with one
// output only). Candidates are non-constant, non-variable tensors with the
// output's byte size and element size. Order-independent.
ShareRule share_rule(const model::Graph& graph, int32_t op_index);

// True for the operators share_rule may return kInPlace for.
bool is_in_place_op(int32_t builtin_code);
// True for RESHAPE, SQUEEZE, EXPAND_DIMS.
bool is_view_op(int32_t builtin_code);

}  // namespace tierml::plan

#endif  // TIERML_PLAN_SHARING_H_
