// The per-stage timing of the feature pipeline's profiling firmware: linked
// only into its second build, with -Wl,--wrap=NAME for each function below,
// so that every call of a stage (from runtime/dsp/features.cc, or the
// firmware's own call of the peak gain) goes through a wrapper that reads
// the counter around the real function and prints "layer N C0 C1" after the
// second reading. The pipeline's code is unchanged; the window's figures come
// from the first build, without wrappers.
//
// Stages, in the order a window calls them: the peak gain (when the recipe
// scales to the peak), then per frame the FFT, the power or magnitude
// spectrum, the mel filterbank with its log, and the DCT (MFCC recipes).
#include "features_firmware.h"
#include "profile_support.h"

extern "C" {
int32_t __real_tm_peak_gain_log2_q16(const int16_t* x, int32_t length);
int32_t __real_tm_rfft_q31(const TmRfft* fft, const int32_t* in, int32_t* out);
void __real_tm_spectrum_q31(TmSpectrumType type, const int32_t* fft_out,
                            int32_t n, uint64_t* out);
void __real_tm_mel_log2_q16(const TmMelFilterbank* fb, const uint64_t* spectrum,
                            int32_t unit_log2_q16, int32_t offset_log2_q16,
                            int32_t* out);
void __real_tm_dct_q15(const TmDct* dct, const int32_t* in, int64_t* out);
}

namespace {

using tierml::firmware::kCounter;
using tierml::firmware::Line;

TM_MEASURE uint32_t g_call;

// Reads the counter when made and again when destroyed, once the wrapped
// call has returned; the line is printed after the second reading, by a
// function kept out of line so that each wrapper stays small.
class StageTimer {
 public:
  explicit StageTimer(bool calibration)
      : calibration_(calibration), before_(*kCounter) {}
  ~StageTimer() {
    const uint32_t after = *kCounter;
    report(calibration_, before_, after);
  }

 private:
  __attribute__((noinline)) static void report(bool calibration,
                                               uint32_t before,
                                               uint32_t after) {
    Line(calibration ? "calib" : "layer")
        .number(calibration ? 0 : g_call++)
        .number(before)
        .number(after);
  }
  const bool calibration_;
  const uint32_t before_;
};

__attribute__((noinline)) void empty_stage(const void*, const void*, void*) {
  __asm__ volatile("");
}

}  // namespace

extern "C" {

int32_t __wrap_tm_peak_gain_log2_q16(const int16_t* x, int32_t length) {
  StageTimer timer(false);
  return __real_tm_peak_gain_log2_q16(x, length);
}

int32_t __wrap_tm_rfft_q31(const TmRfft* fft, const int32_t* in, int32_t* out) {
  StageTimer timer(false);
  return __real_tm_rfft_q31(fft, in, out);
}

void __wrap_tm_spectrum_q31(TmSpectrumType type, const int32_t* fft_out,
                            int32_t n, uint64_t* out) {
  StageTimer timer(false);
  __real_tm_spectrum_q31(type, fft_out, n, out);
}

void __wrap_tm_mel_log2_q16(const TmMelFilterbank* fb, const uint64_t* spectrum,
                            int32_t unit_log2_q16, int32_t offset_log2_q16,
                            int32_t* out) {
  StageTimer timer(false);
  __real_tm_mel_log2_q16(fb, spectrum, unit_log2_q16, offset_log2_q16, out);
}

void __wrap_tm_dct_q15(const TmDct* dct, const int32_t* in, int64_t* out) {
  StageTimer timer(false);
  __real_tm_dct_q15(dct, in, out);
}

// The same wrapper around an empty function: its cost, subtracted from each
// stage.
void tm_feature_stages_calibrate(void) {
  StageTimer timer(true);
  empty_stage(nullptr, nullptr, nullptr);
}

}  // extern "C"
