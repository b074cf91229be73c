// Scratch bytes each operator's kernel needs during its invoke, so that the
// plan places them in the arena like any buffer. The figures are the ones
// the kernels' prepare functions report (kernels/mean.h,
// kernels/transpose_conv.h, kernels/lstm.h); the unit tests compare them
// with what the interpreter requests for every golden model.
#ifndef TIERML_PLAN_SCRATCH_H_
#define TIERML_PLAN_SCRATCH_H_

#include <cstdint>

#include "common/status.h"
#include "model/graph.h"

namespace tierml::plan {

// 0 for operators without scratch; malformed_model when a tensor the figure
// depends on is missing or has no known size.
Expected<int64_t> scratch_bytes(const model::Graph& graph, int32_t op_index);

}  // namespace tierml::plan

#endif  // TIERML_PLAN_SCRATCH_H_
