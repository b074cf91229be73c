/* Power and magnitude spectra of a real FFT's output (rfft.h layout), and
 * energy per frequency band. Float spectra are in the units of the FFT
 * input; the fixed paths keep integers (uint64) plus the FFT's block
 * exponent s, for either FFT (Q15: P < 2^31; Q31: P < 2^62):
 *   power:     |X_true|^2 = P * n^2 * 2^(-2s) * 2^-30
 *   magnitude: |X_true|   = M * n * 2^-s * 2^-15
 * where X_true is the DFT of the frame with samples scaled to full scale
 * (int16 / 32768). tm_spectrum_unit_log2_q16 returns log2 of that factor. */
#ifndef TIERML_DSP_SPECTRUM_H_
#define TIERML_DSP_SPECTRUM_H_

#include <stdint.h>

#include "tierml/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  kTmSpectrumPower = 0,     /* |X|^2 */
  kTmSpectrumMagnitude = 1, /* |X| */
} TmSpectrumType;

/* fft_out: n + 2 values; out: n/2 + 1 values. */
void tm_spectrum_f32(TmSpectrumType type, const float* fft_out, int32_t n,
                     float* out);
/* Magnitude is floor(sqrt(re^2 + im^2)), computed exactly in integers. */
void tm_spectrum_q15(TmSpectrumType type, const int16_t* fft_out, int32_t n,
                     uint64_t* out);
void tm_spectrum_q31(TmSpectrumType type, const int32_t* fft_out, int32_t n,
                     uint64_t* out);
/* log2 of the full-scale value of one unit of tm_spectrum_q15/q31's output
 * for FFT length n and block exponent s, in Q16. */
int32_t tm_spectrum_unit_log2_q16(TmSpectrumType type, int32_t n, int32_t s);

/* Bands are half-open ranges of frequency [edges_hz[b], edges_hz[b + 1]);
 * bin k (at k * sample_rate / n Hz) belongs to the band that holds it, and
 * an upper edge at or above sample_rate / 2 includes the Nyquist bin. Fills
 * bin_edges[0..num_bands] with the first bin of each band (and one past the
 * last). Edges must be increasing and non-negative. */
TmStatus tm_bands_init(int32_t sample_rate, int32_t n, const float* edges_hz,
                       int32_t num_bands, int32_t* bin_edges);
/* Sum of the spectrum over each band's bins. */
void tm_band_energy_f32(const float* spectrum, const int32_t* bin_edges,
                        int32_t num_bands, float* out);
/* log2 of each band's summed spectrum in full-scale units (Q16), given
 * unit_log2_q16 from tm_spectrum_unit_log2_q16; an empty or silent band
 * gives TM_LOG2_Q16_MIN. Sums are exact for spectra below 2^53. */
void tm_band_energy_log2_q16(const uint64_t* spectrum, const int32_t* bin_edges,
                             int32_t num_bands, int32_t unit_log2_q16,
                             int32_t* out);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_DSP_SPECTRUM_H_ */
