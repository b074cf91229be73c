// Synthetic sensor audio for tests and the fleet simulator: quiet noise,
// 1 kHz tone bursts (the "real" events) and loud broadband noise bursts
// (decoys that fire a level trigger but are not events). Deterministic for
// a given seed.
#ifndef TIERML_HYBRID_SYNTHETIC_SIGNAL_H_
#define TIERML_HYBRID_SYNTHETIC_SIGNAL_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tierml::hybrid {

constexpr int kSyntheticRate = 16000;
constexpr double kToneHz = 1000.0;

class SyntheticSignal {
 public:
  explicit SyntheticSignal(uint32_t seed) : state_(seed) {}
  // Uniform noise of +-200 counts.
  std::vector<int16_t> quiet(size_t samples);
  // Adds a 1 kHz tone of amplitude 12000 * gain over [at, at + samples).
  void add_tone(std::vector<int16_t>& x, size_t at, size_t samples,
                double gain = 1.0);
  // Adds uniform noise of +-9000 * gain counts over [at, at + samples).
  void add_noise_burst(std::vector<int16_t>& x, size_t at, size_t samples,
                       double gain = 1.0);

 private:
  int noise(int amplitude);
  uint32_t state_;
};

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_SYNTHETIC_SIGNAL_H_
