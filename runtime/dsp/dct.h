/* DCT-II of a log-mel vector into MFCCs:
 *   c[k] = norm_k * sum_m x[m] cos(pi k (2m + 1) / (2M)),  k < num_coeffs.
 * kTmDctOrtho: norm_0 = sqrt(1/M), norm_k = sqrt(2/M) (scipy.fft.dct
 *   type 2, norm="ortho"; librosa).
 * kTmDctTf: norm_k = sqrt(2/M) for every k, which is what
 *   tf.signal.mfccs_from_log_mel_spectrograms computes (its unnormalised
 *   DCT times 1/sqrt(2M)); it equals ortho except c[0], larger by sqrt(2).
 * The num_coeffs x M matrix (norm folded in) is filled once into caller
 * storage: float, or Q15 (all entries are at most sqrt(2/M) < 1). The norm
 * argument is a TmDctNorm passed as an int, checked. */
#ifndef TIERML_DSP_DCT_H_
#define TIERML_DSP_DCT_H_

#include <stdint.h>

#include "tierml/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  kTmDctOrtho = 0,
  kTmDctTf = 1,
} TmDctNorm;

typedef struct {
  int32_t num_inputs; /* M >= 2 */
  int32_t num_coeffs; /* 1..M */
  const float* matrix_f32;
  const int16_t* matrix_q15;
} TmDct;

TmStatus tm_dct_init_f32(int32_t num_inputs, int32_t num_coeffs, int32_t norm,
                         float* matrix, TmDct* dct);
TmStatus tm_dct_init_q15(int32_t num_inputs, int32_t num_coeffs, int32_t norm,
                         int16_t* matrix, TmDct* dct);

void tm_dct_f32(const TmDct* dct, const float* in, float* out);
/* out[k] = round(sum_m in[m] * matrix[k][m] / 2^15): inputs in any Q
 * format (|in| < 2^36 keeps the sum inside int64 for M <= 2048), outputs
 * in the same format. */
void tm_dct_q15(const TmDct* dct, const int32_t* in, int64_t* out);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_DSP_DCT_H_ */
