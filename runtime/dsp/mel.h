/* Mel filterbank: num_bands triangular filters over the n/2 + 1 bins of a
 * real FFT. Band edges are equally spaced on the mel scale between lower_hz
 * and upper_hz (num_bands + 2 points; band b rises from point b, peaks at
 * b + 1, falls to b + 2).
 *   tf.signal.linear_to_mel_weight_matrix: HTK scale, triangles linear in
 *     mel, no normalisation (MLPerf Tiny KWS).
 *   librosa.filters.mel (default): Slaney scale, triangles linear in Hz,
 *     Slaney area normalisation 2 / (right_hz - left_hz) (MLPerf Tiny AD).
 * Weights are stored sparsely (each band's run of non-zero weights, at most
 * n + 2 weights in all) in caller-provided tables filled once at set-up. */
#ifndef TIERML_DSP_MEL_H_
#define TIERML_DSP_MEL_H_

#include <stdint.h>

#include "tierml/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Upper bound on the weights of a filterbank over an n-point FFT. */
#define TM_MEL_MAX_WEIGHTS(n) ((n) + 2)

typedef enum {
  kTmMelHtk = 0, /* 2595 log10(1 + f / 700) */
  kTmMelSlaney =
      1, /* linear below 1 kHz, logarithmic above (Auditory Toolbox) */
} TmMelScale;

typedef struct {
  int32_t sample_rate;
  int32_t fft_length; /* n; the filterbank covers n/2 + 1 bins */
  int32_t num_bands;
  float lower_hz;
  float upper_hz;           /* <= sample_rate / 2 */
  int32_t scale;            /* TmMelScale */
  int32_t triangles_in_mel; /* 1: weights linear in mel; 0: linear in Hz */
  int32_t slaney_norm;      /* 1: scale band b by 2 / (right_hz - left_hz) */
} TmMelSpec;

typedef struct {
  int32_t num_bands;
  int32_t num_bins;
  const int32_t* first_bin; /* per band */
  const int32_t* bin_count; /* per band; weights are consecutive */
  const float* weights;     /* float path */
  /* Q15 path: weights divided by the band's largest weight, times 32767,
   * rounded; band_log2_q16[b] = log2(largest weight / 32767) in Q16. */
  const int16_t* weights_q15;
  const int32_t* band_log2_q16;
} TmMelFilterbank;

/* kTmErrorBadArgument for a length that is not a power of two in
 * [64, 2048], no bands, or an empty or out-of-range frequency interval.
 * Tables: first_bin and bin_count num_bands entries, weights
 * TM_MEL_MAX_WEIGHTS(fft_length). */
TmStatus tm_mel_init_f32(const TmMelSpec* spec, int32_t* first_bin,
                         int32_t* bin_count, float* weights,
                         TmMelFilterbank* fb);
TmStatus tm_mel_init_q15(const TmMelSpec* spec, int32_t* first_bin,
                         int32_t* bin_count, int16_t* weights,
                         int32_t* band_log2_q16, TmMelFilterbank* fb);

/* mel[b] = sum_k weight(b, k) * spectrum[k]. */
void tm_mel_apply_f32(const TmMelFilterbank* fb, const float* spectrum,
                      float* mel);
/* out[b] = log2(mel_b + 2^offset_log2_q16) in Q16, where mel_b is band b's
 * filtered spectrum in full-scale units (unit_log2_q16 from
 * tm_spectrum_unit_log2_q16). Pass offset_log2_q16 = TM_LOG2_Q16_MIN for no
 * offset; a band with zero energy then gives TM_LOG2_Q16_MIN. Sums are
 * uint64: the spectrum is shifted right, by the same amount for every band,
 * just enough to keep its largest value below 2^38 (so 2^38 * 2^15 weights
 * * 1025 bins < 2^64); values more than 2^38 under the frame's peak (114 dB
 * of power) lose their low bits first. */
void tm_mel_log2_q16(const TmMelFilterbank* fb, const uint64_t* spectrum,
                     int32_t unit_log2_q16, int32_t offset_log2_q16,
                     int32_t* out);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_DSP_MEL_H_ */
