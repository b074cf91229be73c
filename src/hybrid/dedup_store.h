// Which event ids a gateway group has already decided, and what it decided:
// the piece that turns MQTT's at-least-once delivery into an effectively
// once decision per event id.
//
// DIR/decisions.log holds one JSON line per decided id ({"id":..,"d":..}),
// appended and fsync'd under an exclusive flock on DIR/lock, so every
// gateway of a group that shares DIR (same host, or a file system with
// working flock) sees the others' decisions: before answering, a gateway
// reads the lines appended since it last looked. A line torn by a crash is
// cut off by the next writer.
//
// Bound: the last `capacity` ids are remembered (oldest forgotten first);
// the log is rewritten to those ids when it holds twice as many lines. The
// guarantee: a redelivered or re-sent event id is recognised as long as
// fewer than `capacity` other ids were decided by the group since its
// first decision.
#ifndef TIERML_HYBRID_DEDUP_STORE_H_
#define TIERML_HYBRID_DEDUP_STORE_H_

#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/status.h"

namespace tierml::hybrid {

class DedupStore {
 public:
  static Expected<std::unique_ptr<DedupStore>> open(
      const std::filesystem::path& dir, size_t capacity = 100000);
  ~DedupStore();
  DedupStore(const DedupStore&) = delete;
  DedupStore& operator=(const DedupStore&) = delete;

  // The decision recorded for id by any gateway sharing DIR, if any.
  Expected<std::optional<std::string>> find(const std::string& id);

  struct Claim {
    bool first = false;    // this call recorded the decision
    std::string decision;  // the one on record (ours when first)
  };
  // Records decision for id unless one is on record already; durable (on
  // disk, fsync'd) when it returns.
  Expected<Claim> record(const std::string& id, const std::string& decision);

  size_t size() const;

 private:
  DedupStore() = default;
  // Both with the flock held.
  Status refresh();
  Status compact();
  Status reopen();
  void remember(const std::string& id, std::string decision);

  std::filesystem::path dir_, log_path_;
  size_t capacity_ = 0;
  mutable std::mutex mutex_;
  int lock_fd_ = -1;
  int log_fd_ = -1;
  ino_t log_inode_ = 0;
  uint64_t offset_ = 0;  // bytes of the log already read
  uint64_t lines_ = 0;   // lines in the log
  std::unordered_map<std::string, std::string> decisions_;
  std::deque<std::string> order_;
};

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_DEDUP_STORE_H_
