#include "hybrid/window_library.h"

#include "hybrid/synthetic_signal.h"

namespace tierml::hybrid {

Expected<WindowLibrary> build_window_library(TriggerPipeline& pipeline,
                                             uint32_t seed, double min_gain,
                                             int per_class) {
  SyntheticSignal signal(seed);
  const size_t n = static_cast<size_t>(pipeline.window_samples());
  WindowLibrary library;
  for (int k = 0; k < per_class; ++k) {
    const double gain =
        per_class > 1 ? min_gain + (1 - min_gain) * k / (per_class - 1) : 1.0;
    for (int c = 0; c < 3; ++c) {
      std::vector<int16_t> x = signal.quiet(n);
      if (c == kEventWindow) signal.add_tone(x, 0, n, gain);
      if (c == kDecoyWindow) signal.add_noise_burst(x, 0, n, gain);
      auto score = pipeline.score(x);
      if (!score) return score.status();
      const auto input = pipeline.input_bytes();
      library[c].emplace_back(input.begin(), input.end());
    }
  }
  return library;
}

}  // namespace tierml::hybrid
