#include "dsp/recipes.h"

extern "C" {

void tm_features_spec_mlperf_kws(TmFeatureSpec* spec) {
  TmFeatureSpec s = {};
  s.sample_rate = 16000;
  s.frame_length = 480;  // 30 ms
  s.frame_stride = 320;  // 20 ms
  s.fft_length = 512;    // tf.signal.stft(fft_length=None): next power of 2
  s.window = kTmWindowHann;
  s.window_periodic = 1;
  s.spectrum = kTmSpectrumMagnitude;  // tf.abs(stft)
  s.num_mel_bands = 40;
  s.lower_hz = 20.0f;
  s.upper_hz = 4000.0f;
  s.mel_scale = kTmMelHtk;
  s.triangles_in_mel = 1;  // tf.signal.linear_to_mel_weight_matrix
  s.slaney_norm = 0;
  s.log_type = kTmLogNatural;
  s.log_offset = 1e-6f;
  s.num_mfcc = 10;
  s.dct_norm = kTmDctTf;  // tf.signal.mfccs_from_log_mel_spectrograms
  // ../shared/golden/tiny_kws_ref_model/meta.json, input 0.
  s.output_scale = 0.584702909f;
  s.output_zero_point = 83;
  *spec = s;
}

void tm_features_spec_mlperf_ad(TmFeatureSpec* spec) {
  TmFeatureSpec s = {};
  s.sample_rate = 16000;
  s.frame_length = 1024;
  s.frame_stride = 512;
  s.fft_length = 1024;
  s.window = kTmWindowHann;
  s.window_periodic = 1;
  s.spectrum = kTmSpectrumPower;  // librosa melspectrogram(power=2.0)
  s.num_mel_bands = 128;
  s.lower_hz = 0.0f;
  s.upper_hz = 8000.0f;
  s.mel_scale = kTmMelSlaney;  // librosa.filters.mel defaults
  s.triangles_in_mel = 0;
  s.slaney_norm = 1;
  s.log_type = kTmLogDecibel;             // 20 / power * log10(mel + eps)
  s.log_offset = 2.220446049250313e-16f;  // sys.float_info.epsilon
  s.num_mfcc = 0;
  // ../shared/golden/tiny_ad01_int8/meta.json, input 0.
  s.output_scale = 0.391015232f;
  s.output_zero_point = 89;
  *spec = s;
}

}  // extern "C"
