// MUL: see kernels/mul.h; the shared two-operand glue is binary_glue.h.
#include "kernels/mul.h"

#include "interpreter/ops/binary_glue.h"
#include "interpreter/ops/registrations.h"

namespace tierml {
namespace {

constexpr BinaryKernel<TmMulParams> kKernel = {tm_mul_prepare, tm_mul_s8,
                                               tm_mul_s16, tm_mul_f32};

TmStatus prepare(OpContext& ctx) { return binary_prepare(ctx, kKernel); }
TmStatus invoke(OpContext& ctx) { return binary_invoke(ctx, kKernel); }

}  // namespace

const OpRegistration kOpMul = {kTmOpMul, prepare, invoke, nullptr};

}  // namespace tierml
