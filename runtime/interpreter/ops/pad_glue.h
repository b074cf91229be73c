// PAD and PADV2 share one glue; they differ only in the constant input.
#ifndef TIERML_INTERPRETER_OPS_PAD_GLUE_H_
#define TIERML_INTERPRETER_OPS_PAD_GLUE_H_

#include "interpreter/op_context.h"

namespace tierml {

TmStatus pad_glue_prepare(OpContext& ctx);
TmStatus pad_glue_invoke(OpContext& ctx);

}  // namespace tierml

#endif  // TIERML_INTERPRETER_OPS_PAD_GLUE_H_
