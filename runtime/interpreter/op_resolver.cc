#include "interpreter/op_resolver.h"

namespace tierml {

TmStatus OpResolver::add(const OpRegistration* registration) {
  if (registration == nullptr) return kTmErrorBadArgument;
  for (int i = 0; i < count_; ++i) {
    if (registrations_[i]->op == registration->op) {
      registrations_[i] = registration;
      return kTmOk;
    }
  }
  if (count_ == kCapacity) return kTmErrorBadArgument;
  registrations_[count_++] = registration;
  return kTmOk;
}

const OpRegistration* OpResolver::find(int32_t op) const {
  for (int i = 0; i < count_; ++i) {
    if (static_cast<int32_t>(registrations_[i]->op) == op) {
      return registrations_[i];
    }
  }
  return nullptr;
}

}  // namespace tierml
