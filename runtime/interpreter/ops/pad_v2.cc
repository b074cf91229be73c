// PADV2: PAD with the fill given by a scalar input (read at invoke, so it
// may be an activation).
#include "interpreter/ops/pad_glue.h"
#include "interpreter/ops/registrations.h"

namespace tierml {

const OpRegistration kOpPadV2 = {kTmOpPadV2, pad_glue_prepare, pad_glue_invoke,
                                 nullptr};

}  // namespace tierml
