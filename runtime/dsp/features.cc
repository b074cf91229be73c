#include "dsp/features.h"

#include <math.h>

#include "dsp/fixed_math.h"
#include "kernels/quantization.h"

namespace {

// Hands out 8-byte aligned pieces of one caller buffer; with a null base it
// only counts, so sizing and initialisation share one layout.
class Carver {
 public:
  explicit Carver(void* base) : base_(static_cast<char*>(base)) {}
  template <typename T>
  T* take(int32_t count) {
    used_ = (used_ + 7) & ~static_cast<size_t>(7);
    T* p = base_ == nullptr ? nullptr : reinterpret_cast<T*>(base_ + used_);
    used_ += sizeof(T) * static_cast<size_t>(count);
    return p;
  }
  size_t used() const { return used_; }

 private:
  char* base_;
  size_t used_ = 0;
};

struct Tables {
  float* window_f32 = nullptr;
  int16_t* window_q15 = nullptr;
  float* twiddle_f32 = nullptr;
  int32_t* twiddle_q31 = nullptr;
  int32_t* first_bin = nullptr;
  int32_t* bin_count = nullptr;
  float* weights_f32 = nullptr;
  int16_t* weights_q15 = nullptr;
  int32_t* band_log2 = nullptr;
  float* dct_f32 = nullptr;
  int16_t* dct_q15 = nullptr;
};

Tables carve_tables(const TmFeatureSpec& s, int32_t path, Carver& c) {
  Tables t;
  const int32_t n = s.fft_length;
  const int32_t dct_entries = s.num_mfcc * s.num_mel_bands;
  t.first_bin = c.take<int32_t>(s.num_mel_bands);
  t.bin_count = c.take<int32_t>(s.num_mel_bands);
  if (path == kTmFeaturesFloat) {
    t.window_f32 = c.take<float>(s.frame_length);
    t.twiddle_f32 = c.take<float>(TM_RFFT_TWIDDLE_COUNT(n));
    t.weights_f32 = c.take<float>(TM_MEL_MAX_WEIGHTS(n));
    t.dct_f32 = c.take<float>(dct_entries);
  } else {
    t.window_q15 = c.take<int16_t>(s.frame_length);
    t.twiddle_q31 = c.take<int32_t>(TM_RFFT_TWIDDLE_COUNT(n));
    t.weights_q15 = c.take<int16_t>(TM_MEL_MAX_WEIGHTS(n));
    t.band_log2 = c.take<int32_t>(s.num_mel_bands);
    t.dct_q15 = c.take<int16_t>(dct_entries);
  }
  return t;
}

struct FloatScratch {
  float* frame;
  float* fft;
  float* spectrum;
  float* mel;
};

struct FixedScratch {
  int32_t* frame;
  int32_t* fft;
  uint64_t* spectrum;
  int32_t* log_mel;
  int64_t* cepstrum;
  int32_t* values;  // log2 outputs before requantisation (tm_features_s8)
};

FloatScratch carve_float_scratch(const TmFeatureSpec& s, Carver& c) {
  const int32_t n = s.fft_length;
  FloatScratch r;
  r.frame = c.take<float>(n);
  r.fft = c.take<float>(n + 2);
  r.spectrum = c.take<float>(n / 2 + 1);
  r.mel = c.take<float>(s.num_mel_bands);
  return r;
}

FixedScratch carve_fixed_scratch(const TmFeatureSpec& s, Carver& c) {
  const int32_t n = s.fft_length;
  FixedScratch r;
  r.frame = c.take<int32_t>(n);
  r.fft = c.take<int32_t>(n + 2);
  r.spectrum = c.take<uint64_t>(n / 2 + 1);
  r.log_mel = c.take<int32_t>(s.num_mel_bands);
  r.cepstrum = c.take<int64_t>(s.num_mfcc);
  r.values = c.take<int32_t>(s.num_mfcc > 0 ? s.num_mfcc : s.num_mel_bands);
  return r;
}

TmMelSpec mel_spec(const TmFeatureSpec& s) {
  TmMelSpec m;
  m.sample_rate = s.sample_rate;
  m.fft_length = s.fft_length;
  m.num_bands = s.num_mel_bands;
  m.lower_hz = s.lower_hz;
  m.upper_hz = s.upper_hz;
  m.scale = s.mel_scale;
  m.triangles_in_mel = s.triangles_in_mel;
  m.slaney_norm = s.slaney_norm;
  return m;
}

bool valid(const TmFeatureSpec* s, int32_t path) {
  if (s == nullptr) return false;
  if (path != kTmFeaturesFloat && path != kTmFeaturesFixed) return false;
  if (s->frame_length < 1 || s->frame_length > s->fft_length) return false;
  if (s->frame_stride < 1) return false;
  if (s->window != kTmWindowRectangular && s->window != kTmWindowHann &&
      s->window != kTmWindowHamming) {
    return false;
  }
  if (s->spectrum != kTmSpectrumPower && s->spectrum != kTmSpectrumMagnitude) {
    return false;
  }
  if (s->log_type != kTmLogNatural && s->log_type != kTmLogDecibel) {
    return false;
  }
  if (!(s->log_offset >= 0.0f) || !(s->output_scale > 0.0f)) return false;
  if (s->output_zero_point < -128 || s->output_zero_point > 127) return false;
  if (s->num_mfcc < 0 || s->num_mfcc > s->num_mel_bands) return false;
  if (s->num_mfcc > 0 && s->num_mel_bands < 2) return false;
  if (s->num_mfcc > 0 && s->dct_norm != kTmDctOrtho &&
      s->dct_norm != kTmDctTf) {
    return false;
  }
  // The mel spec carries the remaining checks (FFT length, rate, bands,
  // frequency range); build it into a throwaway table-free check.
  const TmMelSpec m = mel_spec(*s);
  const int32_t n = m.fft_length;
  if (n < TM_RFFT_MIN_LENGTH || n > TM_RFFT_MAX_LENGTH || (n & (n - 1)) != 0) {
    return false;
  }
  return m.sample_rate > 0 && m.num_bands >= 1 && m.num_bands <= n &&
         (m.scale == kTmMelHtk || m.scale == kTmMelSlaney) &&
         m.lower_hz >= 0.0f && m.upper_hz > m.lower_hz &&
         2.0f * m.upper_hz <= static_cast<float>(m.sample_rate);
}

// log2 -> output units: ln 2 for natural logs, 10 log10(2) for decibels.
double log2_unit(int32_t type) {
  return type == kTmLogNatural ? 0.69314718055994530942
                               : 3.01029995663981195214;
}

int8_t saturate_s8(int32_t v) {
  return static_cast<int8_t>(v < -128 ? -128 : (v > 127 ? 127 : v));
}

}  // namespace

extern "C" {

TmStatus tm_features_sizes(const TmFeatureSpec* spec, int32_t path,
                           size_t* table_bytes, size_t* scratch_bytes) {
  if (!valid(spec, path) || table_bytes == nullptr ||
      scratch_bytes == nullptr) {
    return kTmErrorBadArgument;
  }
  Carver tables(nullptr);
  carve_tables(*spec, path, tables);
  Carver scratch(nullptr);
  if (path == kTmFeaturesFloat) {
    carve_float_scratch(*spec, scratch);
  } else {
    carve_fixed_scratch(*spec, scratch);
  }
  *table_bytes = tables.used();
  *scratch_bytes = scratch.used();
  return kTmOk;
}

TmStatus tm_features_init(const TmFeatureSpec* spec, int32_t path, void* tables,
                          size_t table_bytes, TmFeatures* f) {
  size_t need = 0, scratch = 0;
  TmStatus status = tm_features_sizes(spec, path, &need, &scratch);
  if (status != kTmOk) return status;
  if (tables == nullptr || f == nullptr || table_bytes < need ||
      (reinterpret_cast<uintptr_t>(tables) & 7) != 0) {
    return kTmErrorBadArgument;
  }
  const TmFeatureSpec& s = *spec;
  Carver carver(tables);
  const Tables t = carve_tables(s, path, carver);
  TmFeatures r = {};
  r.spec = s;
  r.path = path;
  r.num_outputs = s.num_mfcc > 0 ? s.num_mfcc : s.num_mel_bands;
  r.scratch_bytes = scratch;
  const TmMelSpec m = mel_spec(s);
  if (path == kTmFeaturesFloat) {
    status = tm_window_f32(s.window, s.frame_length, s.window_periodic,
                           t.window_f32);
    if (status == kTmOk) {
      status = tm_rfft_init_f32(s.fft_length, t.twiddle_f32, &r.fft);
    }
    if (status == kTmOk) {
      status =
          tm_mel_init_f32(&m, t.first_bin, t.bin_count, t.weights_f32, &r.mel);
    }
    if (status == kTmOk && s.num_mfcc > 0) {
      status = tm_dct_init_f32(s.num_mel_bands, s.num_mfcc, s.dct_norm,
                               t.dct_f32, &r.dct);
    }
    r.window_f32 = t.window_f32;
  } else {
    status = tm_window_q15(s.window, s.frame_length, s.window_periodic,
                           t.window_q15);
    if (status == kTmOk) {
      status = tm_rfft_init_q31(s.fft_length, t.twiddle_q31, &r.fft);
    }
    if (status == kTmOk) {
      status = tm_mel_init_q15(&m, t.first_bin, t.bin_count, t.weights_q15,
                               t.band_log2, &r.mel);
    }
    if (status == kTmOk && s.num_mfcc > 0) {
      status = tm_dct_init_q15(s.num_mel_bands, s.num_mfcc, s.dct_norm,
                               t.dct_q15, &r.dct);
    }
    r.window_q15 = t.window_q15;
  }
  if (status != kTmOk) return status;
  r.offset_log2_q16 =
      s.log_offset > 0.0f
          ? static_cast<int32_t>(
                floor(log2(static_cast<double>(s.log_offset)) * 65536.0 + 0.5))
          : TM_LOG2_Q16_MIN;
  int shift = 0;
  tierml::quantize_multiplier(
      log2_unit(s.log_type) / (65536.0 * static_cast<double>(s.output_scale)),
      &r.output_multiplier, &shift);
  r.output_shift = shift;
  *f = r;
  return kTmOk;
}

int32_t tm_features_num_frames(const TmFeatureSpec* spec, int32_t num_samples) {
  if (spec == nullptr || spec->frame_stride < 1 || spec->frame_length < 1 ||
      num_samples < spec->frame_length) {
    return 0;
  }
  return 1 + (num_samples - spec->frame_length) / spec->frame_stride;
}

void tm_features_f32(const TmFeatures* f, const float* frame, float* out,
                     void* scratch) {
  const TmFeatureSpec& s = f->spec;
  Carver carver(scratch);
  const FloatScratch w = carve_float_scratch(s, carver);
  tm_window_apply_f32(f->window_f32, frame, s.frame_length, w.frame);
  for (int32_t i = s.frame_length; i < s.fft_length; ++i) w.frame[i] = 0.0f;
  tm_rfft_f32(&f->fft, w.frame, w.fft);
  tm_spectrum_f32(static_cast<TmSpectrumType>(s.spectrum), w.fft, s.fft_length,
                  w.spectrum);
  tm_mel_apply_f32(&f->mel, w.spectrum, w.mel);
  float* log_mel = s.num_mfcc > 0 ? w.mel : out;
  for (int32_t b = 0; b < s.num_mel_bands; ++b) {
    const float v = w.mel[b] + s.log_offset;
    log_mel[b] = s.log_type == kTmLogNatural ? logf(v) : 10.0f * log10f(v);
  }
  if (s.num_mfcc > 0) tm_dct_f32(&f->dct, log_mel, out);
}

void tm_features_log2_q16(const TmFeatures* f, const int16_t* frame,
                          int32_t gain_log2_q16, int32_t* out, void* scratch) {
  const TmFeatureSpec& s = f->spec;
  Carver carver(scratch);
  const FixedScratch w = carve_fixed_scratch(s, carver);
  // Windowed samples stay unrounded: int16 x Q15 products (< 2^30) go to
  // the int32 FFT exactly, in units of 2^-15 of an int16 step.
  for (int32_t i = 0; i < s.frame_length; ++i) {
    w.frame[i] = static_cast<int32_t>(frame[i]) * f->window_q15[i];
  }
  for (int32_t i = s.frame_length; i < s.fft_length; ++i) w.frame[i] = 0;
  const int32_t block_exponent = tm_rfft_q31(&f->fft, w.frame, w.fft) + 15;
  const TmSpectrumType spectrum = static_cast<TmSpectrumType>(s.spectrum);
  tm_spectrum_q31(spectrum, w.fft, s.fft_length, w.spectrum);
  // A gain g scales the power spectrum by g^2 and the magnitude by g.
  const int32_t gain =
      s.spectrum == kTmSpectrumPower ? 2 * gain_log2_q16 : gain_log2_q16;
  const int32_t unit =
      tm_spectrum_unit_log2_q16(spectrum, s.fft_length, block_exponent) + gain;
  int32_t* log_mel = s.num_mfcc > 0 ? w.log_mel : out;
  tm_mel_log2_q16(&f->mel, w.spectrum, unit, f->offset_log2_q16, log_mel);
  if (s.num_mfcc == 0) return;
  tm_dct_q15(&f->dct, log_mel, w.cepstrum);
  for (int32_t k = 0; k < s.num_mfcc; ++k) {
    const int64_t v = w.cepstrum[k];
    out[k] = v > tierml::kInt32Max   ? tierml::kInt32Max
             : v < tierml::kInt32Min ? tierml::kInt32Min
                                     : static_cast<int32_t>(v);
  }
}

void tm_features_s8(const TmFeatures* f, const int16_t* frame,
                    int32_t gain_log2_q16, int8_t* out, void* scratch) {
  Carver carver(scratch);
  const FixedScratch w = carve_fixed_scratch(f->spec, carver);
  int32_t* values = w.values;
  tm_features_log2_q16(f, frame, gain_log2_q16, values, scratch);
  for (int32_t i = 0; i < f->num_outputs; ++i) {
    const int32_t q = tierml::multiply_by_quantized_multiplier(
        values[i], f->output_multiplier, f->output_shift);
    out[i] = saturate_s8(q + f->spec.output_zero_point);
  }
}

int32_t tm_peak_gain_log2_q16(const int16_t* x, int32_t length) {
  int32_t peak = 0;
  for (int32_t i = 0; i < length; ++i) {
    if (x[i] > peak) peak = x[i];
  }
  if (peak == 0) return 0;
  return 15 * 65536 - tm_log2_q16(static_cast<uint64_t>(peak));
}

void tm_features_quantize_f32(const TmFeatures* f, const float* values,
                              int8_t* out) {
  for (int32_t i = 0; i < f->num_outputs; ++i) {
    const float q = roundf(values[i] / f->spec.output_scale);
    const float v = q + static_cast<float>(f->spec.output_zero_point);
    // NaN and -inf (log of 0 without an offset) go to -128.
    out[i] =
        static_cast<int8_t>(!(v >= -128.0f) ? -128 : (v > 127.0f ? 127 : v));
  }
}

}  // extern "C"
