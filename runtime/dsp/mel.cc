#include "dsp/mel.h"

#include <math.h>

#include "dsp/fixed_math.h"
#include "dsp/rfft.h"

namespace {

double hz_to_mel(int32_t scale, double hz) {
  if (scale == kTmMelHtk) return 2595.0 * log10(1.0 + hz / 700.0);
  constexpr double kLinearStep = 200.0 / 3.0;  // Hz per mel below 1 kHz
  const double log_step = log(6.4) / 27.0;
  return hz < 1000.0 ? hz / kLinearStep
                     : 1000.0 / kLinearStep + log(hz / 1000.0) / log_step;
}

double mel_to_hz(int32_t scale, double mel) {
  if (scale == kTmMelHtk) return 700.0 * (pow(10.0, mel / 2595.0) - 1.0);
  constexpr double kLinearStep = 200.0 / 3.0;
  const double log_step = log(6.4) / 27.0;
  const double knee = 1000.0 / kLinearStep;
  return mel < knee ? mel * kLinearStep : 1000.0 * exp(log_step * (mel - knee));
}

// Edge point i of num_bands + 2, on the mel scale.
double edge_mel(const TmMelSpec& s, int32_t i) {
  const double lo = hz_to_mel(s.scale, s.lower_hz);
  const double hi = hz_to_mel(s.scale, s.upper_hz);
  return lo + (hi - lo) * i / (s.num_bands + 1);
}

// One triangle: its corners in the domain the weights are linear in, its
// extent in Hz and its normalisation, computed once per band.
struct Triangle {
  double left, center, right;
  double left_hz, right_hz;
  double norm;
};

Triangle triangle(const TmMelSpec& s, int32_t band) {
  Triangle t;
  const double m0 = edge_mel(s, band), m1 = edge_mel(s, band + 1),
               m2 = edge_mel(s, band + 2);
  t.left_hz = mel_to_hz(s.scale, m0);
  t.right_hz = mel_to_hz(s.scale, m2);
  if (s.triangles_in_mel) {
    t.left = m0;
    t.center = m1;
    t.right = m2;
  } else {
    t.left = t.left_hz;
    t.center = mel_to_hz(s.scale, m1);
    t.right = t.right_hz;
  }
  t.norm = s.slaney_norm ? 2.0 / (t.right_hz - t.left_hz) : 1.0;
  return t;
}

double weight(const TmMelSpec& s, const Triangle& t, int32_t bin) {
  const double hz = static_cast<double>(bin) * s.sample_rate / s.fft_length;
  const double x = s.triangles_in_mel ? hz_to_mel(s.scale, hz) : hz;
  const double rise = (x - t.left) / (t.center - t.left);
  const double fall = (t.right - x) / (t.right - t.center);
  const double w = rise < fall ? rise : fall;
  return w > 0.0 ? w * t.norm : 0.0;
}

bool valid(const TmMelSpec* s) {
  if (s == nullptr) return false;
  const int32_t n = s->fft_length;
  if (n < TM_RFFT_MIN_LENGTH || n > TM_RFFT_MAX_LENGTH || (n & (n - 1)) != 0) {
    return false;
  }
  if (s->sample_rate <= 0 || s->num_bands < 1 || s->num_bands > n) {
    return false;
  }
  if (s->scale != kTmMelHtk && s->scale != kTmMelSlaney) return false;
  return s->lower_hz >= 0.0f && s->upper_hz > s->lower_hz &&
         2.0f * s->upper_hz <= static_cast<float>(s->sample_rate);
}

// Finds each band's run of non-zero weights -- only bins inside the
// triangle's extent in Hz are evaluated (plus one each side against
// rounding), so set-up costs O(weights), not O(bands x bins) -- and calls
// store(band, triangle, table offset, first bin, end bin). Returns false if
// the runs would exceed the table bound.
template <typename Store>
bool layout(const TmMelSpec& s, int32_t* first_bin, int32_t* bin_count,
            Store store) {
  const int32_t num_bins = s.fft_length / 2 + 1;
  const double bins_per_hz = static_cast<double>(s.fft_length) / s.sample_rate;
  int32_t next = 0;
  for (int32_t b = 0; b < s.num_bands; ++b) {
    const Triangle t = triangle(s, b);
    int32_t lo = static_cast<int32_t>(floor(t.left_hz * bins_per_hz)) - 1;
    int32_t hi = static_cast<int32_t>(ceil(t.right_hz * bins_per_hz)) + 1;
    if (lo < 0) lo = 0;
    if (hi > num_bins - 1) hi = num_bins - 1;
    int32_t first = lo;
    while (first <= hi && weight(s, t, first) == 0.0) ++first;
    int32_t end = first;
    while (end <= hi && weight(s, t, end) > 0.0) ++end;
    if (first > hi) first = end = 0;  // an empty band
    if (next + (end - first) > TM_MEL_MAX_WEIGHTS(s.fft_length)) return false;
    first_bin[b] = first;
    bin_count[b] = end - first;
    store(b, t, next, first, end);
    next += end - first;
  }
  return true;
}

}  // namespace

extern "C" {

TmStatus tm_mel_init_f32(const TmMelSpec* spec, int32_t* first_bin,
                         int32_t* bin_count, float* weights,
                         TmMelFilterbank* fb) {
  if (!valid(spec) || first_bin == nullptr || bin_count == nullptr ||
      weights == nullptr || fb == nullptr) {
    return kTmErrorBadArgument;
  }
  const TmMelSpec& s = *spec;
  const bool ok = layout(
      s, first_bin, bin_count,
      [&](int32_t, const Triangle& t, int32_t at, int32_t first, int32_t end) {
        for (int32_t k = first; k < end; ++k) {
          weights[at + k - first] = static_cast<float>(weight(s, t, k));
        }
      });
  if (!ok) return kTmErrorBadArgument;
  *fb = TmMelFilterbank{
      s.num_bands, s.fft_length / 2 + 1, first_bin, bin_count, weights, nullptr,
      nullptr};
  return kTmOk;
}

TmStatus tm_mel_init_q15(const TmMelSpec* spec, int32_t* first_bin,
                         int32_t* bin_count, int16_t* weights,
                         int32_t* band_log2_q16, TmMelFilterbank* fb) {
  if (!valid(spec) || first_bin == nullptr || bin_count == nullptr ||
      weights == nullptr || band_log2_q16 == nullptr || fb == nullptr) {
    return kTmErrorBadArgument;
  }
  const TmMelSpec& s = *spec;
  const bool ok =
      layout(s, first_bin, bin_count,
             [&](int32_t b, const Triangle& t, int32_t at, int32_t first,
                 int32_t end) {
               double peak = 0.0;
               for (int32_t k = first; k < end; ++k) {
                 const double w = weight(s, t, k);
                 if (w > peak) peak = w;
               }
               for (int32_t k = first; k < end; ++k) {
                 weights[at + k - first] = static_cast<int16_t>(
                     floor(weight(s, t, k) / peak * 32767.0 + 0.5));
               }
               band_log2_q16[b] =
                   peak > 0.0 ? static_cast<int32_t>(
                                    floor(log2(peak / 32767.0) * 65536.0 + 0.5))
                              : 0;
             });
  if (!ok) return kTmErrorBadArgument;
  *fb = TmMelFilterbank{
      s.num_bands, s.fft_length / 2 + 1, first_bin, bin_count, nullptr,
      weights,     band_log2_q16};
  return kTmOk;
}

void tm_mel_apply_f32(const TmMelFilterbank* fb, const float* spectrum,
                      float* mel) {
  const float* w = fb->weights;
  for (int32_t b = 0; b < fb->num_bands; ++b) {
    const float* s = spectrum + fb->first_bin[b];
    float sum = 0.0f;
    for (int32_t i = 0; i < fb->bin_count[b]; ++i) sum += w[i] * s[i];
    mel[b] = sum;
    w += fb->bin_count[b];
  }
}

void tm_mel_log2_q16(const TmMelFilterbank* fb, const uint64_t* spectrum,
                     int32_t unit_log2_q16, int32_t offset_log2_q16,
                     int32_t* out) {
  uint64_t peak = 0;
  for (int32_t k = 0; k < fb->num_bins; ++k) {
    if (spectrum[k] > peak) peak = spectrum[k];
  }
  const int32_t shift = tm_msb64(peak) > 37 ? tm_msb64(peak) - 37 : 0;
  const int16_t* w = fb->weights_q15;
  for (int32_t b = 0; b < fb->num_bands; ++b) {
    const uint64_t* s = spectrum + fb->first_bin[b];
    uint64_t sum = 0;
    for (int32_t i = 0; i < fb->bin_count[b]; ++i) {
      sum += (s[i] >> shift) * static_cast<uint16_t>(w[i]);
    }
    int32_t value = TM_LOG2_Q16_MIN;
    if (sum != 0) {
      value = tm_log2_q16(sum) + shift * 65536 + fb->band_log2_q16[b] +
              unit_log2_q16;
    }
    out[b] = offset_log2_q16 <= TM_LOG2_Q16_MIN
                 ? value
                 : tm_log2_add_q16(value, offset_log2_q16);
    w += fb->bin_count[b];
  }
}

}  // extern "C"
