// Glue shared by AVERAGE_POOL_2D and MAX_POOL_2D.
#ifndef TIERML_INTERPRETER_OPS_POOL_GLUE_H_
#define TIERML_INTERPRETER_OPS_POOL_GLUE_H_

#include "interpreter/op_context.h"

namespace tierml {

TmStatus pool_glue_prepare(OpContext& ctx);

}  // namespace tierml

#endif  // TIERML_INTERPRETER_OPS_POOL_GLUE_H_
