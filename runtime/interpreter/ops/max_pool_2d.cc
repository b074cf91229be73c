// MAX_POOL_2D: see kernels/pooling.h.
#include "interpreter/ops/pool_glue.h"
#include "interpreter/ops/registrations.h"
#include "kernels/pooling.h"

namespace tierml {
namespace {

TmStatus invoke(OpContext& ctx) {
  const TmPoolParams* p = static_cast<const TmPoolParams*>(ctx.op_data());
  const void* in = ctx.input(0)->data;
  void* out = ctx.output(0)->data;
  switch (ctx.input(0)->type) {
    case kTmInt8:
      tm_max_pool_s8(p, static_cast<const int8_t*>(in),
                     static_cast<int8_t*>(out));
      return kTmOk;
    case kTmInt16:
      tm_max_pool_s16(p, static_cast<const int16_t*>(in),
                      static_cast<int16_t*>(out));
      return kTmOk;
    default:
      tm_max_pool_f32(p, static_cast<const float*>(in),
                      static_cast<float*>(out));
      return kTmOk;
  }
}

}  // namespace

const OpRegistration kOpMaxPool2d = {kTmOpMaxPool2d, pool_glue_prepare, invoke,
                                     nullptr};

}  // namespace tierml
