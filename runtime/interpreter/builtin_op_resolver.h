// Registers every operator tierml implements. For the host (CLI, tests,
// server); a firmware registers only what its model needs, since linking this
// pulls in every kernel.
#ifndef TIERML_INTERPRETER_BUILTIN_OP_RESOLVER_H_
#define TIERML_INTERPRETER_BUILTIN_OP_RESOLVER_H_

#include "interpreter/op_resolver.h"

namespace tierml {

TmStatus add_builtin_ops(OpResolver& resolver);

// The registration of a builtin operator code, nullptr if tierml has none.
const OpRegistration* builtin_op_registration(int32_t op);

}  // namespace tierml

#endif  // TIERML_INTERPRETER_BUILTIN_OP_RESOLVER_H_
