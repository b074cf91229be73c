// The model repository: DIR/<model>/<version>/model.tflite, with an
// optional DIR/<model>/config.yaml. Every version on disk is loaded; a
// request without a version goes to the config's default_version or else the
// highest version that is ready.
//
// Reloads are safe: a new or changed version is loaded and warmed up off to
// the side, and only then swapped in; a version (or config) that fails to
// load leaves what was serving in place and is reported in the index; the
// replaced version is stopped, which lets its queued and in-flight requests
// finish on it.
#ifndef TIERML_SERVE_REPOSITORY_H_
#define TIERML_SERVE_REPOSITORY_H_

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "serve/metrics.h"
#include "serve/model_config.h"
#include "serve/model_version.h"

namespace tierml::serve {

// What a lookup found: a version to run, or why there is none.
struct Lookup {
  std::shared_ptr<ModelVersion> version;
  int http_status = 200;  // 404 unknown model or version, 503 not ready
  std::string error;
};

class Repository {
 public:
  Repository(std::string root, int default_instances, MetricsRegistry& metrics);
  ~Repository();

  // Brings the loaded set in line with the disk: loads new and changed
  // versions, drops removed ones. Models unloaded by unload_model() are left
  // alone until load_model(). Returns one line per change or failure.
  std::vector<std::string> scan();
  // Loads (or reloads from disk) one model; not_found-like invalid_argument
  // when DIR/<name> has no version. The old versions keep serving if it fails.
  Status load_model(const std::string& name);
  // Stops serving every version of the model until load_model().
  Status unload_model(const std::string& name);

  Lookup find(const std::string& name, std::optional<int64_t> version) const;
  // Every model name in the repository (loaded or not), sorted.
  std::vector<std::string> model_names() const;
  // Ready versions of a model, ascending (empty for an unknown model).
  std::vector<int64_t> ready_versions(const std::string& name) const;
  // The repository index (every model and version, with state and reason).
  nlohmann::json index() const;
  // True when every model that is not unloaded has a default version ready.
  bool ready() const;

  // Rescans every `seconds` on a background thread until stop_polling().
  void start_polling(double seconds);
  void stop_polling();
  // Stops every version and waits for their queues to empty.
  void drain();

 private:
  struct Stamp {
    bool exists = false;
    int64_t size = 0;
    int64_t mtime_ns = 0;
    bool operator==(const Stamp&) const = default;
  };
  struct VersionSlot {
    std::shared_ptr<ModelVersion> loaded;
    Stamp stamp;          // of the file `loaded` came from (or that failed)
    std::string failure;  // the last load failure of this version, if any
  };
  struct ModelSlot {
    Stamp config_stamp;
    ModelConfig config;
    // A config.yaml that does not parse stands until the file changes; the
    // versions keep serving with `config`, the last one that parsed.
    std::string config_failure;
    std::string directory_failure;  // no <version>/model.tflite
    bool unloaded = false;
    std::string failure() const;  // both problems, for reasons and errors
    std::map<int64_t, VersionSlot> versions;
  };

  static Stamp stamp_of(const std::string& path);
  std::string model_dir(const std::string& name) const;
  // Loads what changed in one model (everything when force); call with
  // load_mutex_ held.
  void sync_model(const std::string& name, bool force,
                  std::vector<std::string>& log);
  void remove_model(const std::string& name, std::vector<std::string>& log);
  std::optional<int64_t> default_version(const ModelSlot& slot) const;

  std::string root_;
  int default_instances_;
  MetricsRegistry& metrics_;

  std::mutex load_mutex_;     // one scan/load/unload at a time
  mutable std::mutex mutex_;  // guards models_ (held briefly)
  std::map<std::string, ModelSlot> models_;

  std::mutex poll_mutex_;
  std::condition_variable poll_cv_;
  bool polling_ = false;
  std::thread poller_;
};

}  // namespace tierml::serve

#endif  // TIERML_SERVE_REPOSITORY_H_
