#include "hybrid/synthetic_signal.h"

#include <algorithm>
#include <cmath>

namespace tierml::hybrid {

int SyntheticSignal::noise(int amplitude) {
  state_ = state_ * 1664525u + 1013904223u;
  return static_cast<int>((state_ >> 8) %
                          static_cast<uint32_t>(2 * amplitude + 1)) -
         amplitude;
}

std::vector<int16_t> SyntheticSignal::quiet(size_t samples) {
  std::vector<int16_t> x(samples);
  for (int16_t& v : x) v = static_cast<int16_t>(noise(200));
  return x;
}

void SyntheticSignal::add_tone(std::vector<int16_t>& x, size_t at,
                               size_t samples, double gain) {
  for (size_t i = 0; i < samples && at + i < x.size(); ++i) {
    const double v =
        x[at + i] + gain * 12000.0 *
                        std::sin(2 * M_PI * kToneHz * static_cast<double>(i) /
                                 kSyntheticRate);
    x[at + i] = static_cast<int16_t>(std::clamp(v, -32768.0, 32767.0));
  }
}

void SyntheticSignal::add_noise_burst(std::vector<int16_t>& x, size_t at,
                                      size_t samples, double gain) {
  const int amplitude = static_cast<int>(9000 * gain);
  for (size_t i = 0; i < samples && at + i < x.size(); ++i)
    x[at + i] = static_cast<int16_t>(
        std::clamp(x[at + i] + noise(amplitude), -32768, 32767));
}

}  // namespace tierml::hybrid
