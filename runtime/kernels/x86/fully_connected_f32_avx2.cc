// FULLY_CONNECTED float32 with AVX2+FMA: each unit's sum is a dot product of
// the input row and the unit's filter row, both contiguous, computed by the
// same blocks as CONV_2D's (dot_f32_avx2.h): three batches x four units
// share their loads; the remaining batches and units go one at a time.
#if defined(__x86_64__)

#include "kernels/x86/dot_f32_avx2.h"
#include "kernels/x86/f32_avx2.h"

namespace tierml {
namespace x86 {
namespace {

constexpr int kBatches = 3;
constexpr int kUnits = 4;

// All units of MR batch rows from x[0] on; out[i] is row i's output.
template <int MR>
TM_AVX2_FMA void units_of_rows(const TmFullyConnectedParams& p,
                               const RunGeometry& g, const float* const* x,
                               const float* filter, const float* bias,
                               float* const* out) {
  int32_t u = 0;
  for (; u + kUnits <= p.units; u += kUnits) {
    const float* w[kUnits];
    for (int j = 0; j < kUnits; ++j) w[j] = filter + (u + j) * p.depth;
    float* o[MR];
    for (int i = 0; i < MR; ++i) o[i] = out[i] + u;
    output_block<MR, kUnits>(g, x, w, bias ? bias + u : nullptr, p.act_min_f,
                             p.act_max_f, o);
  }
  for (; u < p.units; ++u) {
    const float* w[1] = {filter + u * p.depth};
    float* o[MR];
    for (int i = 0; i < MR; ++i) o[i] = out[i] + u;
    output_block<MR, 1>(g, x, w, bias ? bias + u : nullptr, p.act_min_f,
                        p.act_max_f, o);
  }
}

}  // namespace

TM_AVX2_FMA void fully_connected_f32_avx2(const TmFullyConnectedParams& p,
                                          const float* input,
                                          const float* filter,
                                          const float* bias, float* output) {
  // One run of depth floats per output.
  const RunGeometry g = {1, 1, p.depth, 0, 0, 0, 0};
  for (int32_t b = 0; b < p.batches;) {
    const int m = b + kBatches <= p.batches ? kBatches : 1;
    const float* x[kBatches];
    float* out[kBatches];
    for (int i = 0; i < m; ++i) {
      x[i] = input + (b + i) * p.depth;
      out[i] = output + (b + i) * p.units;
    }
    if (m == kBatches) {
      units_of_rows<kBatches>(p, g, x, filter, bias, out);
    } else {
      units_of_rows<1>(p, g, x, filter, bias, out);
    }
    b += m;
  }
}

}  // namespace x86
}  // namespace tierml

#endif  // __x86_64__
