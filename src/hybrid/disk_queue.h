// The device's store-and-forward queue: events wait here, on disk, until the
// broker has acknowledged them, so neither a lost link nor a process restart
// loses one.
//
// Layout of DIR:
//   <first seq, 20 digits>.seg  append-only segment files of records
//                               [u32 length][u32 CRC-32 of seq+payload]
//                               [u64 seq][payload], little-endian
//   head                        the first seq not yet delivered (text)
// Every push is fsync'd before it returns; head is replaced atomically
// (write, fsync, rename, fsync of DIR) whenever it moves. A torn record at
// the end of a segment (a crash mid-append) fails its CRC and is cut off
// when the queue is opened again.
//
// Records are handed out in seq order; ack() may come in any order and
// head moves over the acknowledged prefix, so after a restart everything
// from head on is sent again (at-least-once; the gateway removes duplicates
// by event id).
//
// Bound: the records from head to the end may hold at most max_bytes of
// payload. When a push would exceed it, the OLDEST records are dropped
// (head moves past them) and counted in dropped(): for a sensor the recent
// events matter more, and refusing new ones would stall the trigger loop.
// A record larger than max_bytes alone is refused. Disk use stays below
// max_bytes plus one segment plus the per-record overhead.
#ifndef TIERML_HYBRID_DISK_QUEUE_H_
#define TIERML_HYBRID_DISK_QUEUE_H_

#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"

namespace tierml::hybrid {

struct DiskQueueLimits {
  uint64_t max_bytes = 16u << 20;
  uint64_t segment_bytes = 1u << 20;
};

struct QueuedRecord {
  uint64_t seq = 0;
  std::vector<uint8_t> payload;
};

class DiskQueue {
 public:
  // Creates DIR if needed; io_error when it cannot be created or read.
  static Expected<std::unique_ptr<DiskQueue>> open(
      const std::filesystem::path& dir, DiskQueueLimits limits = {});
  ~DiskQueue();
  DiskQueue(const DiskQueue&) = delete;
  DiskQueue& operator=(const DiskQueue&) = delete;

  // Appends and fsyncs; returns the record's seq.
  Expected<uint64_t> push(std::span<const uint8_t> payload);
  // Up to `max` undelivered records with seq >= from, in order.
  Expected<std::vector<QueuedRecord>> read_from(uint64_t from, size_t max);
  // Marks a record delivered (unknown or already dropped seqs are ignored).
  Status ack(uint64_t seq);

  uint64_t head() const;
  uint64_t tail() const;   // seq the next push gets
  size_t pending() const;  // undelivered records
  uint64_t pending_bytes() const;
  uint64_t dropped() const;    // dropped as oldest since open()
  uint64_t recovered() const;  // undelivered records found at open()

 private:
  struct Entry {
    uint64_t seq;
    uint64_t segment;  // first seq of its segment file
    uint64_t offset;   // of the payload in the file
    uint32_t size;
    bool acked;
  };
  DiskQueue() = default;
  Status load();
  Status scan_segment(uint64_t first, bool last);
  Status write_head();
  Status advance_head(uint64_t new_head);
  Status delete_passed_segments();
  Status start_segment(uint64_t first);
  std::filesystem::path segment_path(uint64_t first) const;

  std::filesystem::path dir_;
  DiskQueueLimits limits_;
  mutable std::mutex mutex_;
  std::deque<Entry> entries_;       // seq from head_, contiguous
  std::vector<uint64_t> segments_;  // first seqs, ascending
  uint64_t head_ = 0;
  uint64_t tail_ = 0;
  uint64_t pending_bytes_ = 0;
  uint64_t dropped_ = 0;
  uint64_t recovered_ = 0;
  int active_fd_ = -1;
  uint64_t active_size_ = 0;
  int dir_fd_ = -1;
};

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_DISK_QUEUE_H_
