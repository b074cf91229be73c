// int8 FULLY_CONNECTED with AVX2: up to four batches at a time, each input
// row widened once (offset added) and run against every unit's weights, as
// they are (int8_gemm_avx2.h) or packed at prepare (packed_gemm_avx2.h).
// Weights with a zero point (older per-tensor models) and depths beyond
// kMaxTaps go to the portable path.
#include "kernels/x86/fully_connected_avx2.h"

#ifdef TM_X86_AVX2

#include "kernels/x86/int8_gemm_avx2.h"
#include "kernels/x86/packed_gemm_avx2.h"

namespace tierml {
namespace {

bool covers(const TmFullyConnectedParams& p) {
  return p.filter_offset == 0 && p.depth <= x86::kMaxTaps &&
         p.input_offset <= x86::kMaxInputOffset &&
         p.input_offset >= -x86::kMaxInputOffset;
}

// Both AVX2 forms: the weights as they are (packed NULL) or as panels.
void batch_blocks(const TmFullyConnectedParams& p, const int8_t* input,
                  const int8_t* filter, const int16_t* packed,
                  const int32_t* bias, int8_t* output) {
  const x86::Requant q =
      x86::make_requant(p.multipliers, p.shifts, p.per_channel != 0,
                        p.output_offset, p.act_min, p.act_max, p.units);
  // A folded bias (bias + input_offset * sum of the unit's weights; the only
  // one the generated code passes) takes the offset's share already.
  const int32_t* init = p.folded_bias ? p.folded_bias : bias;
  const int32_t offset = p.folded_bias ? 0 : p.input_offset;
  x86::WindowBlock block;
  if (packed) {
    const int32_t run = x86::run_rows(p.depth);
    for (int32_t first = 0; first < p.batches; first += run) {
      const int32_t n = p.batches - first < run ? p.batches - first : run;
      const int16_t* windows =
          x86::widen_rows(input + first * p.depth, n, p.depth, offset, &block);
      x86::packed_block_outputs(windows, p.depth, n, p.depth, packed, p.units,
                                init, q, 0, output + first * p.units, p.units);
    }
    return;
  }
  const x86::WeightRows rows = {filter, filter, p.depth};
  for (int32_t first = 0; first < p.batches; first += x86::kBlockPixels) {
    const int32_t n = p.batches - first < x86::kBlockPixels ? p.batches - first
                                                            : x86::kBlockPixels;
    for (int32_t i = 0; i < n; ++i) {
      x86::widen_with_offset(input + (first + i) * p.depth, p.depth, offset,
                             block.x[i]);
      x86::finish_window(block.x[i], p.depth);
    }
    x86::window_block_outputs(block, n, p.depth, rows, p.units, init, q, 0,
                              output + first * p.units, p.units);
  }
}

}  // namespace

bool fully_connected_s8_avx2(const TmFullyConnectedParams& p,
                             const int8_t* input, const int8_t* filter,
                             const int32_t* bias, int8_t* output) {
  if (!covers(p)) return false;
  batch_blocks(p, input, filter, nullptr, bias, output);
  return true;
}

size_t fully_connected_s8_avx2_packed_bytes(const TmFullyConnectedParams& p) {
  // A batch of one too: its int16 panels are twice the bytes of the int8
  // rows, but they fit the caches of a host, and the broadcast-and-multiply
  // loop needs no widening and no horizontal sums (AD, ten batch-1 layers:
  // 0.11 M -> 0.08 M instructions per invoke).
  if (!covers(p)) return 0;
  return x86::packed_weights_bytes(p.units, p.depth) + x86::kPanelSlack;
}

void fully_connected_s8_avx2_pack(const TmFullyConnectedParams& p,
                                  const int8_t* filter, void* packed) {
  x86::pack_weights(filter, p.units, p.depth, x86::panels_in(packed));
}

void fully_connected_s8_avx2_packed(const TmFullyConnectedParams& p,
                                    const void* packed, const int8_t* input,
                                    const int32_t* bias, int8_t* output) {
  batch_blocks(p, input, nullptr, x86::panels_in(packed), bias, output);
}

}  // namespace tierml

#endif  // TM_X86_AVX2
