/* Feature specs that reproduce the inputs of published models, so that a
 * device pipeline and the host tools use one definition. Parameters and
 * their sources: docs/features.md. */
#ifndef TIERML_DSP_RECIPES_H_
#define TIERML_DSP_RECIPES_H_

#include "dsp/features.h"

#ifdef __cplusplus
extern "C" {
#endif

/* MLPerf Tiny keyword spotting (tiny_kws_ref_model): 1 s at 16 kHz -> 49
 * frames x 10 MFCC, int8 scale 0.584702909, zero point 83. The clip is
 * divided by its maximum first: pass tm_peak_gain_log2_q16(clip) as gain. */
void tm_features_spec_mlperf_kws(TmFeatureSpec* spec);

/* MLPerf Tiny anomaly detection (tiny_ad01_int8): 16 kHz -> log-mel frames
 * of 128 bands (1024-sample frames, hop 512, dB); five consecutive frames
 * form one 640-value input, int8 scale 0.391015232, zero point 89. */
void tm_features_spec_mlperf_ad(TmFeatureSpec* spec);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_DSP_RECIPES_H_ */
