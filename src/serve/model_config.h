// A model's serving settings, from the optional DIR/<model>/config.yaml of a
// model repository. Unknown keys and out-of-range values are errors naming
// the file and the key, so a typo never silently falls back to a default.
#ifndef TIERML_SERVE_MODEL_CONFIG_H_
#define TIERML_SERVE_MODEL_CONFIG_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"

namespace tierml::serve {

struct ModelConfig {
  // Requests one instance takes from the queue at once (1: no batching).
  int max_batch_size = 1;
  // How long the oldest queued request may wait for a batch to fill.
  std::chrono::microseconds max_queue_delay{0};
  // Requests waiting beyond this many are refused with 503 + Retry-After.
  int queue_limit = 64;
  // Interpreters (each with its own worker thread); 0: the server's default.
  int instance_count = 0;
  // Version used when a request names none; unset: the highest ready one.
  std::optional<int64_t> default_version;
};

// Parses config.yaml text; `where` names the file in messages.
Expected<ModelConfig> parse_model_config(const std::string& text,
                                         const std::string& where);
// Reads DIR/<model>/config.yaml; the defaults when the file does not exist.
Expected<ModelConfig> read_model_config(const std::string& path);

}  // namespace tierml::serve

#endif  // TIERML_SERVE_MODEL_CONFIG_H_
