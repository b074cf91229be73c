/* What the host generates for one feature recipe
 * (src/target/feature_sources.cc: features.c) and the feature pipeline's
 * profiling firmware (profile_features_main.cc) links against. Every buffer
 * is sized by the host's figures, which the firmware checks against its
 * own. */
#ifndef TIERML_TARGETS_FEATURES_FIRMWARE_H_
#define TIERML_TARGETS_FEATURES_FIRMWARE_H_

#include <stddef.h>
#include <stdint.h>

#include "dsp/features.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The recipe's spec (a function of runtime/dsp/recipes.h). */
void tm_profiled_spec(TmFeatureSpec* spec);
/* Whether the window is scaled to its peak first (tm_peak_gain_log2_q16). */
extern const int tm_peak_gain;

/* One window of samples, read from input.bin. */
extern int16_t tm_samples[];
extern const int32_t tm_window_samples;
/* The fixed-point frontend's tables and per-frame scratch. */
extern uint64_t tm_tables[];
extern const size_t tm_table_bytes;
extern uint64_t tm_scratch[];
extern const size_t tm_scratch_bytes;
/* The window's int8 features, frame after frame, written to output.bin. */
extern int8_t tm_features[];
extern const size_t tm_feature_bytes;

/* Times the pipeline's stages when profile_feature_stages.cc is linked
 * (with --wrap around each stage); otherwise a no-op. */
void tm_feature_stages_calibrate(void);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_TARGETS_FEATURES_FIRMWARE_H_ */
