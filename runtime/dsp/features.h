/* Audio/vibration feature frontend: frame -> window -> real FFT -> power or
 * magnitude spectrum -> mel filterbank -> log -> (optionally) DCT-II, with
 * a float path and a fixed-point path that ends in int8 values quantised
 * for a model's input tensor (q = round(v / scale) + zero_point).
 *
 * Set-up: tm_features_sizes tells how many bytes of tables and per-frame
 * scratch a spec needs; tm_features_init fills the tables (window,
 * twiddles, mel weights, DCT matrix) once, in caller-provided memory, for
 * one path. Per frame: tm_features_f32 or tm_features_s8, arithmetic only.
 *
 * Fixed-point path, end to end (see docs/features.md):
 *   int16 frame -> Q15 window (exact int32 products) -> real FFT on int32 data
 *   (Q31 twiddles) with a block exponent s (rfft.h) -> power re^2 + im^2
 *   (uint64) or floor(sqrt(.)) -> mel sums in uint64 with per-band Q15
 *   weights -> log2 in Q16 (bit-by-bit, fixed_math.h) plus the exact
 *   power-of-two bookkeeping of n, s, and the weight scale -> + log offset
 *   by log2(2^a + 2^b) -> DCT-II with Q15 matrix, int64 sums -> one
 *   TFLite-style requantisation (quantize_multiplier) of log2 units to the
 *   output scale, saturated to int8. No floating point per frame. */
#ifndef TIERML_DSP_FEATURES_H_
#define TIERML_DSP_FEATURES_H_

#include <stddef.h>
#include <stdint.h>

#include "dsp/dct.h"
#include "dsp/mel.h"
#include "dsp/rfft.h"
#include "dsp/spectrum.h"
#include "dsp/window.h"
#include "tierml/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  kTmLogNatural = 0, /* ln(mel + offset) (tf.math.log) */
  kTmLogDecibel = 1, /* 10 log10(mel + offset) (librosa power_to_db style) */
} TmLogType;

typedef enum {
  kTmFeaturesFloat = 0,
  kTmFeaturesFixed = 1,
} TmFeaturePath;

/* Enumerations are stored as int32_t (the Tm... enum named in the comment)
 * so that a spec read from a file or filled by C code can be validated
 * without undefined behaviour. */
typedef struct {
  int32_t sample_rate;
  int32_t frame_length; /* samples per frame, <= fft_length (zero-padded) */
  int32_t frame_stride; /* samples between frame starts */
  int32_t fft_length;   /* power of two, 64..2048 */
  int32_t window;       /* TmWindowType */
  int32_t window_periodic;
  int32_t spectrum; /* TmSpectrumType */
  int32_t num_mel_bands;
  float lower_hz;
  float upper_hz;
  int32_t mel_scale; /* TmMelScale */
  int32_t triangles_in_mel;
  int32_t slaney_norm;
  int32_t log_type;   /* TmLogType */
  float log_offset;   /* added before the log; > 0, or 0 for none */
  int32_t num_mfcc;   /* 0: the output is the log-mel vector */
  int32_t dct_norm;   /* TmDctNorm */
  float output_scale; /* int8 output quantisation (tm_features_s8) */
  int32_t output_zero_point;
} TmFeatureSpec;

typedef struct {
  TmFeatureSpec spec;
  int32_t path;        /* TmFeaturePath */
  int32_t num_outputs; /* num_mfcc, or num_mel_bands when num_mfcc == 0 */
  const float* window_f32;
  const int16_t* window_q15;
  TmRfft fft;
  TmMelFilterbank mel;
  TmDct dct;
  int32_t offset_log2_q16;   /* log2(log_offset), or TM_LOG2_Q16_MIN */
  int32_t output_multiplier; /* log2 Q16 -> output quanta */
  int32_t output_shift;
  size_t scratch_bytes;
} TmFeatures;

/* Validates spec (kTmErrorBadArgument with no side effects otherwise) and
 * reports the table and scratch bytes tm_features_init and the frame
 * functions need for that path. */
TmStatus tm_features_sizes(const TmFeatureSpec* spec, int32_t path,
                           size_t* table_bytes, size_t* scratch_bytes);
/* tables: table_bytes of 8-byte aligned memory that must outlive f. path is
 * a TmFeaturePath. */
TmStatus tm_features_init(const TmFeatureSpec* spec, int32_t path, void* tables,
                          size_t table_bytes, TmFeatures* f);

/* Frames a signal of num_samples starts at 0, stride, ... while a whole
 * frame fits: 1 + (num_samples - frame_length) / stride (0 if too short). */
int32_t tm_features_num_frames(const TmFeatureSpec* spec, int32_t num_samples);

/* Float path: frame_length samples at full scale (int16 / 32768), out
 * num_outputs values. scratch: scratch_bytes, 8-byte aligned. */
void tm_features_f32(const TmFeatures* f, const float* frame, float* out,
                     void* scratch);
/* Fixed path: frame_length int16 samples, out num_outputs int8 values.
 * gain_log2_q16 multiplies the signal by 2^(gain / 65536) before the
 * spectrum (0 for none); see tm_peak_gain_log2_q16. */
void tm_features_s8(const TmFeatures* f, const int16_t* frame,
                    int32_t gain_log2_q16, int8_t* out, void* scratch);
/* Fixed path up to the log: log-mel (num_mfcc == 0) or MFCC values in
 * log2 units, Q16 (natural log = value * ln 2; decibels = value * 10
 * log10 2). */
void tm_features_log2_q16(const TmFeatures* f, const int16_t* frame,
                          int32_t gain_log2_q16, int32_t* out, void* scratch);

/* log2(32768 / max(x)) in Q16: the gain that scales a clip so that its
 * largest sample is full scale (MLPerf Tiny KWS divides each clip by its
 * maximum). 0 when no sample is positive. */
int32_t tm_peak_gain_log2_q16(const int16_t* x, int32_t length);

/* round(v / scale) + zero_point saturated to int8: the float path's
 * counterpart of tm_features_s8's output stage. */
void tm_features_quantize_f32(const TmFeatures* f, const float* values,
                              int8_t* out);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_DSP_FEATURES_H_ */
