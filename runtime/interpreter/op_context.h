// The contract between the interpreter and one operator's glue.
//
// Each operator has a registration (ops/<op>.cc) with prepare and invoke
// functions. prepare runs once at init: it validates the node's tensors,
// computes everything that depends only on the model (multipliers, shifts,
// folded offsets) through the kernel's own prepare function, keeps it in
// persistent arena memory, and asks for scratch. invoke runs the kernel and
// does arithmetic only.
#ifndef TIERML_INTERPRETER_OP_CONTEXT_H_
#define TIERML_INTERPRETER_OP_CONTEXT_H_

#include <stddef.h>
#include <stdint.h>

#include "tierml/op_attrs.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

namespace tierml {

class Interpreter;

class OpContext {
 public:
  int num_inputs() const { return num_inputs_; }
  int num_outputs() const { return num_outputs_; }
  // nullptr for an absent optional input (index -1 in the model) or an
  // index past num_inputs().
  TmTensor* input(int i) const;
  TmTensor* output(int i) const;
  const TmOpAttrs& attrs() const { return *attrs_; }

  // prepare only. Memory lives as long as the loaded model; nullptr (with the
  // error recorded) when the arena is exhausted.
  void* allocate_persistent(size_t bytes);
  // prepare only. Whether kernels may keep a copy of constant weights laid
  // out for this CPU (InterpreterOptions::pack_weights).
  bool pack_weights() const;
  // prepare only. Asks for one scratch buffer alive during this node's invoke;
  // the planner places it in the arena. Calling again replaces the request.
  void request_scratch(size_t bytes) { scratch_bytes_ = bytes; }

  // invoke only: the buffer requested at prepare (nullptr if none).
  void* scratch() const { return scratch_; }

  void* op_data() const { return op_data_; }
  void set_op_data(void* data) { op_data_ = data; }

  // Records "node N (OP_NAME): <message>" and returns status. The message
  // takes printf-style %d (int32_t) and %s arguments only.
  TmStatus fail(TmStatus status, const char* format, ...);

 private:
  friend class Interpreter;
  Interpreter* interpreter_ = nullptr;
  int node_index_ = 0;
  const TmOpAttrs* attrs_ = nullptr;
  const int32_t* inputs_ = nullptr;  // tensor indices, -1 = absent
  const int32_t* outputs_ = nullptr;
  int num_inputs_ = 0;
  int num_outputs_ = 0;
  size_t scratch_bytes_ = 0;
  void* scratch_ = nullptr;
  void* op_data_ = nullptr;
};

struct OpRegistration {
  TmBuiltinOp op;
  TmStatus (*prepare)(OpContext& ctx);
  TmStatus (*invoke)(OpContext& ctx);
  // Stateful operators only (SVDF, LSTM): clear state kept in op data.
  // Variable tensors are zeroed by the interpreter itself. May be nullptr.
  TmStatus (*reset)(OpContext& ctx);
};

}  // namespace tierml

#endif  // TIERML_INTERPRETER_OP_CONTEXT_H_
