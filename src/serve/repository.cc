#include "serve/repository.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>

namespace tierml::serve {
namespace {

namespace fs = std::filesystem;

constexpr const char* kModelFile = "model.tflite";
constexpr const char* kConfigFile = "config.yaml";

// Model names become URL path segments and metric labels: keep them plain.
bool valid_model_name(const std::string& name) {
  if (name.empty() || name.size() > 128 || name[0] == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
           c == '-' || c == '.';
  });
}

// Version directories are positive decimal integers ("1", "12").
std::optional<int64_t> version_number(const std::string& name) {
  if (name.empty() || name.size() > 18 || name[0] == '0') return std::nullopt;
  int64_t value = 0;
  for (char c : name) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::string version_label(const std::string& name, int64_t version) {
  return name + " version " + std::to_string(version);
}

}  // namespace

std::string Repository::ModelSlot::failure() const {
  if (config_failure.empty()) return directory_failure;
  if (directory_failure.empty()) return config_failure;
  return config_failure + "; " + directory_failure;
}

Repository::Repository(std::string root, int default_instances,
                       MetricsRegistry& metrics)
    : root_(std::move(root)),
      default_instances_(std::max(1, default_instances)),
      metrics_(metrics) {}

Repository::~Repository() {
  stop_polling();
  drain();
}

Repository::Stamp Repository::stamp_of(const std::string& path) {
  struct stat info;
  Stamp stamp;
  if (::stat(path.c_str(), &info) != 0) return stamp;
  stamp.exists = true;
  stamp.size = static_cast<int64_t>(info.st_size);
  stamp.mtime_ns = static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 +
                   info.st_mtim.tv_nsec;
  return stamp;
}

std::string Repository::model_dir(const std::string& name) const {
  return (fs::path(root_) / name).string();
}

std::vector<std::string> Repository::scan() {
  std::lock_guard<std::mutex> load_lock(load_mutex_);
  std::vector<std::string> log;
  std::set<std::string> on_disk;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root_, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory(ec) || !valid_model_name(name)) continue;
    on_disk.insert(name);
  }
  if (ec) log.push_back("cannot list " + root_ + ": " + ec.message());
  std::vector<std::string> gone;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [name, slot] : models_) {
      if (!on_disk.count(name)) gone.push_back(name);
    }
  }
  for (const std::string& name : gone) remove_model(name, log);
  for (const std::string& name : on_disk) {
    bool unloaded = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = models_.find(name);
      unloaded = it != models_.end() && it->second.unloaded;
    }
    if (!unloaded) sync_model(name, false, log);
  }
  return log;
}

void Repository::remove_model(const std::string& name,
                              std::vector<std::string>& log) {
  ModelSlot removed;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = models_.find(name);
    if (it == models_.end()) return;
    removed = std::move(it->second);
    models_.erase(it);
  }
  for (auto& [version, slot] : removed.versions) {
    if (slot.loaded) slot.loaded->stop();
  }
  log.push_back(name + ": removed from the repository, unloaded");
}

void Repository::sync_model(const std::string& name, bool force,
                            std::vector<std::string>& log) {
  const std::string dir = model_dir(name);
  const std::string config_path = (fs::path(dir) / kConfigFile).string();
  const Stamp config_stamp = stamp_of(config_path);

  ModelSlot current;  // a copy of the bookkeeping (shared_ptrs, stamps)
  bool known = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = models_.find(name);
    if (it != models_.end()) {
      current = it->second;
      known = true;
    }
  }
  const bool config_changed = !known || !(config_stamp == current.config_stamp);
  ModelConfig config = current.config;
  std::string config_failure = current.config_failure;
  if (config_changed || force) {
    auto parsed = read_model_config(config_path);
    if (!parsed) {
      // A broken config leaves the versions serving with the old settings.
      std::lock_guard<std::mutex> lock(mutex_);
      ModelSlot& slot = models_[name];
      slot.config_failure = parsed.status().message();
      slot.config_stamp = config_stamp;
      slot.unloaded = false;
      log.push_back(name + ": config not applied: " + slot.config_failure);
      return;
    }
    config = *parsed;
    config_failure.clear();
  }

  std::map<int64_t, Stamp> disk;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto version = version_number(entry.path().filename().string());
    if (!version || !entry.is_directory(ec)) continue;
    const Stamp stamp = stamp_of((entry.path() / kModelFile).string());
    if (stamp.exists) disk[*version] = stamp;
  }

  // Load new and changed versions off to the side, then swap them in.
  std::map<int64_t, VersionSlot> next;
  std::vector<std::shared_ptr<ModelVersion>> retired;
  for (const auto& [version, stamp] : disk) {
    auto old = current.versions.find(version);
    const bool have = old != current.versions.end();
    if (have && !force && !config_changed && old->second.stamp == stamp) {
      next[version] = old->second;  // unchanged (loaded or failed alike)
      continue;
    }
    const std::string path =
        (fs::path(dir) / std::to_string(version) / kModelFile).string();
    const int instances =
        config.instance_count > 0 ? config.instance_count : default_instances_;
    auto loaded = ModelVersion::load(name, version, path, config, instances,
                                     metrics_.get(name, version));
    VersionSlot slot;
    slot.stamp = stamp;
    if (loaded) {
      slot.loaded = std::move(*loaded);
      if (have && old->second.loaded) retired.push_back(old->second.loaded);
      log.push_back(
          version_label(name, version) + ": " + (have ? "reloaded" : "loaded") +
          " (" + std::to_string(slot.loaded->instance_count()) + " instances)");
    } else {
      slot.failure = loaded.status().message();
      if (have) slot.loaded = old->second.loaded;  // the old one keeps serving
      log.push_back(version_label(name, version) + ": failed to load" +
                    (slot.loaded ? " (previous load keeps serving): " : ": ") +
                    slot.failure);
    }
    next[version] = std::move(slot);
  }
  for (const auto& [version, slot] : current.versions) {
    if (disk.count(version)) continue;
    if (slot.loaded) retired.push_back(slot.loaded);
    log.push_back(version_label(name, version) + ": removed, unloaded");
  }
  if (disk.empty()) log.push_back(name + ": no <version>/model.tflite found");
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ModelSlot& slot = models_[name];
    slot.config = config;
    slot.config_stamp = config_stamp;
    slot.config_failure = config_failure;
    slot.directory_failure =
        disk.empty() ? "no <version>/model.tflite in " + dir : "";
    slot.unloaded = false;
    slot.versions = std::move(next);
  }
  // After the swap: new requests see the new versions; the retired ones
  // finish what they were given.
  for (auto& version : retired) version->stop();
}

Status Repository::load_model(const std::string& name) {
  std::error_code ec;
  if (!valid_model_name(name) || !fs::is_directory(model_dir(name), ec))
    return io_error("no model '" + name + "' in the repository");
  std::lock_guard<std::mutex> load_lock(load_mutex_);
  std::vector<std::string> log;
  sync_model(name, true, log);
  std::lock_guard<std::mutex> lock(mutex_);
  const ModelSlot& slot = models_[name];
  std::string failures;
  bool any_ready = false;
  for (const auto& [version, v] : slot.versions) {
    if (!v.failure.empty())
      failures += (failures.empty() ? "" : "; ") +
                  version_label(name, version) + ": " + v.failure;
    any_ready = any_ready || v.loaded != nullptr;
  }
  if (const std::string failure = slot.failure(); !failure.empty())
    failures = failure + (failures.empty() ? "" : "; " + failures);
  if (!failures.empty()) {
    return Status(
        ErrorCode::kMalformedModel,
        failures + (any_ready ? " (previous versions keep serving)" : ""));
  }
  return Status::ok();
}

Status Repository::unload_model(const std::string& name) {
  std::lock_guard<std::mutex> load_lock(load_mutex_);
  std::vector<std::shared_ptr<ModelVersion>> retired;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = models_.find(name);
    if (it == models_.end())
      return io_error("no model '" + name + "' in the repository");
    for (auto& [version, slot] : it->second.versions) {
      if (slot.loaded) retired.push_back(slot.loaded);
    }
    it->second.versions.clear();
    it->second.unloaded = true;
  }
  for (auto& version : retired) version->stop();
  return Status::ok();
}

std::optional<int64_t> Repository::default_version(
    const ModelSlot& slot) const {
  if (slot.config.default_version) return slot.config.default_version;
  for (auto it = slot.versions.rbegin(); it != slot.versions.rend(); ++it) {
    if (it->second.loaded) return it->first;
  }
  return std::nullopt;
}

Lookup Repository::find(const std::string& name,
                        std::optional<int64_t> version) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = models_.find(name);
  if (it == models_.end())
    return {nullptr, 404, "unknown model '" + name + "'"};
  const ModelSlot& slot = it->second;
  if (slot.unloaded) return {nullptr, 404, "model '" + name + "' is unloaded"};
  if (!version) {
    version = default_version(slot);
    if (!version) {
      std::string why = slot.failure();
      for (const auto& [v, s] : slot.versions) {
        if (!s.failure.empty()) why = version_label(name, v) + ": " + s.failure;
      }
      return {nullptr, 503,
              "model '" + name + "' has no ready version" +
                  (why.empty() ? "" : " (" + why + ")")};
    }
  }
  auto v = slot.versions.find(*version);
  if (v == slot.versions.end()) {
    return {nullptr, 404,
            "model '" + name + "' has no version " + std::to_string(*version)};
  }
  if (!v->second.loaded) {
    return {
        nullptr, 503,
        version_label(name, *version) + " is not ready: " + v->second.failure};
  }
  return {v->second.loaded, 200, ""};
}

std::vector<std::string> Repository::model_names() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> names;
  for (const auto& entry : models_) names.push_back(entry.first);
  return names;
}

std::vector<int64_t> Repository::ready_versions(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<int64_t> versions;
  auto it = models_.find(name);
  if (it == models_.end() || it->second.unloaded) return versions;
  for (const auto& [version, slot] : it->second.versions) {
    if (slot.loaded) versions.push_back(version);
  }
  return versions;
}

nlohmann::json Repository::index() const {
  std::lock_guard<std::mutex> lock(mutex_);
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& [name, slot] : models_) {
    if (slot.unloaded) {
      entries.push_back(
          {{"name", name}, {"state", "UNAVAILABLE"}, {"reason", "unloaded"}});
      continue;
    }
    const std::string failure = slot.failure();
    if (slot.versions.empty()) {
      entries.push_back(
          {{"name", name}, {"state", "UNAVAILABLE"}, {"reason", failure}});
    }
    for (const auto& [version, v] : slot.versions) {
      nlohmann::json entry = {{"name", name},
                              {"version", std::to_string(version)},
                              {"state", v.loaded ? "READY" : "UNAVAILABLE"}};
      std::string reason = v.failure;
      if (!failure.empty())
        reason = failure + (reason.empty() ? "" : "; " + reason);
      if (!reason.empty()) entry["reason"] = reason;
      entries.push_back(std::move(entry));
    }
  }
  return entries;
}

bool Repository::ready() const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [name, slot] : models_) {
    if (slot.unloaded) continue;
    const auto version = default_version(slot);
    if (!version) return false;
    auto v = slot.versions.find(*version);
    if (v == slot.versions.end() || !v->second.loaded) return false;
  }
  return true;
}

void Repository::start_polling(double seconds) {
  std::lock_guard<std::mutex> lock(poll_mutex_);
  if (polling_ || seconds <= 0) return;
  polling_ = true;
  const auto period = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::duration<double>(seconds));
  poller_ = std::thread([this, period] {
    std::unique_lock<std::mutex> lock(poll_mutex_);
    while (polling_) {
      if (poll_cv_.wait_for(lock, period, [this] { return !polling_; })) break;
      lock.unlock();
      for (const std::string& line : scan()) {
        std::fprintf(stderr, "tierml serve: %s\n", line.c_str());
      }
      lock.lock();
    }
  });
}

void Repository::stop_polling() {
  {
    std::lock_guard<std::mutex> lock(poll_mutex_);
    polling_ = false;
  }
  poll_cv_.notify_all();
  if (poller_.joinable()) poller_.join();
}

void Repository::drain() {
  std::lock_guard<std::mutex> load_lock(load_mutex_);
  std::vector<std::shared_ptr<ModelVersion>> all;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [name, slot] : models_) {
      for (auto& [version, v] : slot.versions) {
        if (v.loaded) all.push_back(v.loaded);
      }
    }
  }
  for (auto& version : all) version->drain();
}

}  // namespace tierml::serve
