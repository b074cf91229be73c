// SUB: see kernels/sub.h; the shared two-operand glue is binary_glue.h.
#include "kernels/sub.h"

#include "interpreter/ops/binary_glue.h"
#include "interpreter/ops/registrations.h"

namespace tierml {
namespace {

constexpr BinaryKernel<TmSubParams> kKernel = {tm_sub_prepare, tm_sub_s8,
                                               tm_sub_s16, tm_sub_f32};

TmStatus prepare(OpContext& ctx) { return binary_prepare(ctx, kKernel); }
TmStatus invoke(OpContext& ctx) { return binary_invoke(ctx, kKernel); }

}  // namespace

const OpRegistration kOpSub = {kTmOpSub, prepare, invoke, nullptr};

}  // namespace tierml
