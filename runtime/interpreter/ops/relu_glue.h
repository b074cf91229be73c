// Glue shared by the one-input activations RELU, RELU6 and LEAKY_RELU:
// checks the tensors and turns a kernel prepare status into a message.
#ifndef TIERML_INTERPRETER_OPS_RELU_GLUE_H_
#define TIERML_INTERPRETER_OPS_RELU_GLUE_H_

#include "interpreter/op_context.h"

namespace tierml {

// Fails unless the node has 1 input and 1 output of one supported type
// (INT8, INT16, FLOAT32) with the same element count.
TmStatus activation_check(OpContext& ctx);
// Message for a kernel prepare that returned status != kTmOk.
TmStatus activation_prepare_failed(OpContext& ctx, TmStatus status);

}  // namespace tierml

#endif  // TIERML_INTERPRETER_OPS_RELU_GLUE_H_
