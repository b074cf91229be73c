// The op table of one firmware: the registrations it links in. A firmware
// adds only the operators its models use, so the linker keeps only those
// kernels; the host adds them all (add_builtin_ops in builtin_op_resolver.h).
#ifndef TIERML_INTERPRETER_OP_RESOLVER_H_
#define TIERML_INTERPRETER_OP_RESOLVER_H_

#include "interpreter/op_context.h"

namespace tierml {

class OpResolver {
 public:
  static constexpr int kCapacity = 64;

  // kTmErrorBadArgument when full or registration is nullptr. Adding an
  // operator again replaces its registration.
  TmStatus add(const OpRegistration* registration);
  // nullptr when op is not registered.
  const OpRegistration* find(int32_t op) const;
  int size() const { return count_; }

 private:
  const OpRegistration* registrations_[kCapacity] = {};
  int count_ = 0;
};

}  // namespace tierml

#endif  // TIERML_INTERPRETER_OP_RESOLVER_H_
