#include "interpreter/op_context.h"

#include <stdarg.h>

#include "interpreter/interpreter.h"
#include "model/format.h"

namespace tierml {

TmTensor* Interpreter::tensor_for_context(int32_t index) const {
  if (index < 0) return nullptr;
  const Model& model = loading_ != nullptr ? loading_->model : model_;
  if (index >= model.num_tensors) return nullptr;
  return &model.tensors[index];
}

TmTensor* OpContext::input(int i) const {
  if (i < 0 || i >= num_inputs_) return nullptr;
  return interpreter_->tensor_for_context(inputs_[i]);
}

TmTensor* OpContext::output(int i) const {
  if (i < 0 || i >= num_outputs_) return nullptr;
  return interpreter_->tensor_for_context(outputs_[i]);
}

void* OpContext::allocate_persistent(size_t bytes) {
  void* memory = interpreter_->allocate_persistent(bytes);
  if (memory == nullptr) {
    fail(kTmErrorArenaTooSmall, "arena exhausted allocating %zu bytes", bytes);
  }
  return memory;
}

bool OpContext::pack_weights() const {
  const Interpreter::Load* load = interpreter_->loading_;
  return load != nullptr && load->model.options.pack_weights;
}

TmStatus OpContext::fail(TmStatus status, const char* format, ...) {
  char* text = interpreter_->error_;
  const size_t capacity = sizeof(interpreter_->error_);
  const size_t prefix =
      tm_format_to(text, capacity, "node %d (%s): ", node_index_,
                   tm_builtin_op_name(attrs_->op));
  if (prefix < capacity) {
    va_list args;
    va_start(args, format);
    tm_format(text + prefix, capacity - prefix, format, args);
    va_end(args);
  }
  return status;
}

}  // namespace tierml
