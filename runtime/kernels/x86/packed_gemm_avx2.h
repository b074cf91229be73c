// The AVX2 int8 GEMM with weights laid out once, at prepare: output channels
// in the lanes, so that the inner loop is a broadcast, a multiply-add and an
// add, with no widening of weights and no horizontal sums (which cost more
// than the products when a window has only a few dozen taps, as pointwise
// convolutions do).
//
// Panels: eight output channels' weights as int16, taps in pairs,
// [tap pair][channel][2]. vpmaddwd of a panel row with a broadcast int32
// holding a window's two int16 values gives each channel w_t * x_t +
// w_u * x_u, exactly (see int8_gemm_avx2.h), so the sums are the ones the
// unpacked path and TFLite compute. An odd last tap pairs with a zero
// weight; channels past the last fill a panel with zero weights.
#ifndef TIERML_KERNELS_X86_PACKED_GEMM_AVX2_H_
#define TIERML_KERNELS_X86_PACKED_GEMM_AVX2_H_

#include <stddef.h>
#include <stdint.h>

#include "kernels/x86/cpu_features.h"

#ifdef TM_X86_AVX2

#include "kernels/x86/int8_gemm_avx2.h"

namespace tierml {
namespace x86 {

// Bytes of `channels` weight rows of `taps` taps as panels. Panels are
// whole vectors (a multiple of 32 bytes).
size_t packed_weights_bytes(int32_t channels, int32_t taps);

// Panels start at the first 32-byte boundary of their buffer, so that no
// load splits a cache line; a buffer holds kPanelSlack bytes more than its
// panels (the interpreter's arena aligns to 16 only).
constexpr size_t kPanelSlack = 31;
inline const int16_t* panels_in(const void* buffer) {
  const uintptr_t at = reinterpret_cast<uintptr_t>(buffer);
  return reinterpret_cast<const int16_t*>((at + kPanelSlack) & ~kPanelSlack);
}
inline int16_t* panels_in(void* buffer) {
  return const_cast<int16_t*>(panels_in(static_cast<const void*>(buffer)));
}

// rows (channel c's taps at rows + c * taps) as panels at packed.
void pack_weights(const int8_t* rows, int32_t channels, int32_t taps,
                  int16_t* packed);

// Once a window row holds its `taps` values: a zero after an odd last tap,
// the partner of the panels' zero weight (any finite value would do; this
// one keeps the row defined).
inline void end_window_pairs(int16_t* row, int32_t taps) {
  if (taps % 2 != 0) row[taps] = 0;
}

// Windows that lie back to back in the input (a pointwise convolution's
// pixels, a FULLY_CONNECTED's batches): `rows` runs of `taps` values from
// src, widened in one go into the block's storage, back to back too (an odd
// last tap's partner is the next row's first value, then a zero). Returns
// the first row; the next ones follow every `taps` values. At most
// run_rows(taps) rows.
TM_AVX2 const int16_t* widen_rows(const int8_t* src, int32_t rows, int32_t taps,
                                  int32_t offset, WindowBlock* block);

// How many rows of `taps` values widen_rows fits in a block (a multiple of
// kBlockPixels, at least kBlockPixels).
inline int32_t run_rows(int32_t taps) {
  const int32_t fit = (kBlockPixels * (kMaxTaps + 16) - 1) / taps;
  return fit - fit % kBlockPixels;
}

// window_block_outputs (int8_gemm_avx2.h) against weights packed by
// pack_weights, for any number of windows at rows + i * row_stride (each
// with its odd last tap's partner, see end_window_pairs):
// out[i * out_stride + c] for pixel i < pixels and channel c < channels.
TM_AVX2 void packed_block_outputs(const int16_t* rows, int32_t row_stride,
                                  int32_t pixels, int32_t taps,
                                  const int16_t* packed, int32_t channels,
                                  const int32_t* bias, const Requant& q,
                                  int32_t channel0, int8_t* out,
                                  int32_t out_stride);

}  // namespace x86
}  // namespace tierml

#endif  // TM_X86_AVX2
#endif  // TIERML_KERNELS_X86_PACKED_GEMM_AVX2_H_
