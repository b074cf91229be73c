// ADD: see kernels/add.h; the shared two-operand glue is binary_glue.h.
#include "kernels/add.h"

#include "interpreter/ops/binary_glue.h"
#include "interpreter/ops/registrations.h"

namespace tierml {
namespace {

constexpr BinaryKernel<TmAddParams> kKernel = {tm_add_prepare, tm_add_s8,
                                               tm_add_s16, tm_add_f32};

TmStatus prepare(OpContext& ctx) { return binary_prepare(ctx, kKernel); }
TmStatus invoke(OpContext& ctx) { return binary_invoke(ctx, kKernel); }

}  // namespace

const OpRegistration kOpAdd = {kTmOpAdd, prepare, invoke, nullptr};

}  // namespace tierml
