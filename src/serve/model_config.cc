#include "serve/model_config.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "advise/yaml_fields.h"

namespace tierml::serve {
namespace {

// Limits that keep a hand-written file from asking for absurd resources.
constexpr int kMaxBatchSize = 1024;
constexpr int kMaxQueueLimit = 1 << 20;
constexpr int kMaxInstances = 256;
constexpr double kMaxQueueDelayUs = 10e6;

// An integer field within [lo, hi], or the fallback when absent.
int bounded_int(advise::YamlFields& fields, const std::string& key, int lo,
                int hi, int fallback) {
  const std::optional<double> value = fields.optional_number(key);
  if (!value) return fallback;
  if (*value != std::floor(*value) || *value < lo || *value > hi) {
    fields.fail(key + " must be an integer in [" + std::to_string(lo) + ", " +
                std::to_string(hi) + "], got " + std::to_string(*value));
    return fallback;
  }
  return static_cast<int>(*value);
}

}  // namespace

Expected<ModelConfig> parse_model_config(const std::string& text,
                                         const std::string& where) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return invalid_argument(where + ": not valid YAML: " + e.what());
  }
  ModelConfig config;
  if (root.IsNull()) return config;  // an empty file keeps every default
  if (!root.IsMap()) return invalid_argument(where + ": expected a mapping");
  advise::YamlFields fields(root, where);
  config.max_batch_size =
      bounded_int(fields, "max_batch_size", 1, kMaxBatchSize, 1);
  const std::optional<double> delay_us =
      fields.optional_number("max_queue_delay_us");
  if (delay_us) {
    if (!(*delay_us >= 0 && *delay_us <= kMaxQueueDelayUs)) {
      fields.fail("max_queue_delay_us must be in [0, 1e7]");
    } else {
      config.max_queue_delay =
          std::chrono::microseconds(static_cast<int64_t>(*delay_us));
    }
  }
  config.queue_limit =
      bounded_int(fields, "queue_limit", 1, kMaxQueueLimit, config.queue_limit);
  config.instance_count =
      bounded_int(fields, "instance_count", 1, kMaxInstances, 0);
  const int version = bounded_int(fields, "default_version", 1,
                                  std::numeric_limits<int>::max(), 0);
  if (version > 0) config.default_version = version;
  const std::string error = fields.finish();
  if (!error.empty()) return invalid_argument(error);
  return config;
}

Expected<ModelConfig> read_model_config(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return ModelConfig{};
  std::ifstream file(path);
  if (!file) return io_error("cannot open " + path);
  std::stringstream text;
  text << file.rdbuf();
  return parse_model_config(text.str(), path);
}

}  // namespace tierml::serve
