/* Statistics of a window of samples for vibration monitoring: mean, RMS,
 * peak (largest |x|), crest factor (peak / RMS), skewness and excess
 * kurtosis (the population moments m3 / m2^1.5 and m4 / m2^2 - 3, i.e.
 * scipy.stats.skew and kurtosis with their defaults bias=True,
 * fisher=True). Energy per frequency band: spectrum.h. */
#ifndef TIERML_DSP_VIBRATION_H_
#define TIERML_DSP_VIBRATION_H_

#include <stdint.h>

#include "tierml/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  float mean;
  float rms;
  float peak;
  float crest_factor; /* 0 for a silent window */
  float skewness;     /* 0 when the window is constant */
  float kurtosis;     /* excess; 0 when the window is constant */
} TmVibrationStats;

/* Fixed point: mean, rms and peak in Q24 of full scale (int16 / 32768);
 * crest factor, skewness and kurtosis in Q16. */
typedef struct {
  int32_t mean_q24;
  int32_t rms_q24;
  int32_t peak_q24;
  int32_t crest_factor_q16;
  int32_t skewness_q16;
  int32_t kurtosis_q16;
} TmVibrationStatsQ;

#define TM_VIBRATION_MAX_LENGTH 16384

/* Two passes (mean, then centred sums). length >= 2. */
TmStatus tm_vibration_stats_f32(const float* x, int32_t length,
                                TmVibrationStats* out);

/* Integer only, length in [2, TM_VIBRATION_MAX_LENGTH]. Sums of x and x^2
 * are exact in int64; the centred moments use d = n x - sum(x) (exact),
 * rounded by one block shift to |d| < 2^16, so skewness and kurtosis --
 * both scale-free -- keep 16 significant bits of the largest deviation
 * whatever the level: each centred sample is off by at most 2^-16 of
 * max|d|, which moves skewness by at most about 3 * 2^-16 * max|d| / sigma
 * (docs/features.md). */
TmStatus tm_vibration_stats_q15(const int16_t* x, int32_t length,
                                TmVibrationStatsQ* out);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_DSP_VIBRATION_H_ */
