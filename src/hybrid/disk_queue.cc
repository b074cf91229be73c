#include "hybrid/disk_queue.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace tierml::hybrid {
namespace {

constexpr size_t kRecordHeader = 16;  // length, crc, seq

uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc = 0) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  crc = ~crc;
  for (size_t i = 0; i < size; ++i)
    crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

void put_le(uint8_t* p, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint64_t get_le(const uint8_t* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= uint64_t{p[i]} << (8 * i);
  return v;
}

Status errno_status(const std::string& what) {
  return io_error(what + ": " + std::strerror(errno));
}

Status write_all(int fd, const uint8_t* data, size_t size,
                 const std::string& path) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status("cannot write " + path);
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return Status::ok();
}

std::string segment_name(uint64_t first) {
  std::string digits = std::to_string(first);
  return std::string(20 - digits.size(), '0') + digits + ".seg";
}

}  // namespace

Expected<std::unique_ptr<DiskQueue>> DiskQueue::open(
    const std::filesystem::path& dir, DiskQueueLimits limits) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return io_error("cannot create queue directory " + dir.string() + ": " +
                    ec.message());
  std::unique_ptr<DiskQueue> queue(new DiskQueue());
  queue->dir_ = dir;
  queue->limits_ = limits;
  queue->limits_.segment_bytes = std::max<uint64_t>(limits.segment_bytes, 4096);
  queue->dir_fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (queue->dir_fd_ < 0) return errno_status("cannot open " + dir.string());
  Status status = queue->load();
  if (!status.is_ok()) return status;
  return queue;
}

DiskQueue::~DiskQueue() {
  if (active_fd_ >= 0) ::close(active_fd_);
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

std::filesystem::path DiskQueue::segment_path(uint64_t first) const {
  return dir_ / segment_name(first);
}

Status DiskQueue::load() {
  std::ifstream head_file(dir_ / "head");
  if (head_file && !(head_file >> head_))
    return io_error((dir_ / "head").string() +
                    " is corrupt (expected a number)");
  std::error_code ec;
  for (const auto& item : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string name = item.path().filename().string();
    if (name.size() == 24 && name.ends_with(".seg") &&
        std::all_of(name.begin(), name.begin() + 20, ::isdigit))
      segments_.push_back(std::stoull(name.substr(0, 20)));
  }
  if (ec) return io_error("cannot list " + dir_.string() + ": " + ec.message());
  std::sort(segments_.begin(), segments_.end());
  tail_ = head_;
  for (size_t i = 0; i < segments_.size(); ++i) {
    Status status = scan_segment(segments_[i], i + 1 == segments_.size());
    if (!status.is_ok()) return status;
  }
  recovered_ = entries_.size();
  Status status = delete_passed_segments();
  if (!status.is_ok()) return status;
  if (segments_.empty()) return start_segment(tail_);
  const std::filesystem::path last = segment_path(segments_.back());
  active_fd_ = ::open(last.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (active_fd_ < 0) return errno_status("cannot open " + last.string());
  active_size_ = std::filesystem::file_size(last, ec);
  return Status::ok();
}

// Reads every whole, intact record; a torn or corrupt tail is cut off (the
// crash that caused it happened before the push returned).
Status DiskQueue::scan_segment(uint64_t first, bool last) {
  const std::filesystem::path path = segment_path(first);
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error("cannot read " + path.string());
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
  size_t at = 0;
  while (at + kRecordHeader <= bytes.size()) {
    const uint32_t size = static_cast<uint32_t>(get_le(&bytes[at], 4));
    const uint32_t crc = static_cast<uint32_t>(get_le(&bytes[at + 4], 4));
    const uint64_t seq = get_le(&bytes[at + 8], 8);
    if (size > bytes.size() - at - kRecordHeader) break;
    if (crc32(&bytes[at + 8], 8 + size) != crc) break;
    if (seq >= head_) {
      if (entries_.empty() && seq != head_) {
        // Records between head and here were dropped by a crash mid-drop;
        // head moves to the first surviving one.
        head_ = tail_ = seq;
      }
      if (!entries_.empty() && seq <= entries_.back().seq) break;
      // A gap means a corrupt older segment: its lost records are counted
      // as dropped and stand in the index as delivered.
      for (uint64_t lost = tail_; lost < seq; ++lost) {
        entries_.push_back({lost, first, 0, 0, true});
        ++dropped_;
      }
      entries_.push_back({seq, first, at + kRecordHeader, size, false});
      pending_bytes_ += size;
      tail_ = seq + 1;
    }
    at += kRecordHeader + size;
  }
  if (at != bytes.size()) {
    if (!last) return Status::ok();  // older segment: the rest is not ours
    if (::truncate(path.c_str(), static_cast<off_t>(at)) != 0)
      return errno_status("cannot truncate torn record in " + path.string());
  }
  return Status::ok();
}

Status DiskQueue::start_segment(uint64_t first) {
  if (active_fd_ >= 0) ::close(active_fd_);
  const std::filesystem::path path = segment_path(first);
  active_fd_ =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (active_fd_ < 0) return errno_status("cannot create " + path.string());
  if (::fsync(dir_fd_) != 0)
    return errno_status("cannot sync " + dir_.string());
  if (segments_.empty() || segments_.back() != first)
    segments_.push_back(first);
  active_size_ = 0;
  return Status::ok();
}

Status DiskQueue::write_head() {
  const std::filesystem::path tmp = dir_ / "head.tmp";
  const int fd =
      ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno_status("cannot write " + tmp.string());
  const std::string text = std::to_string(head_) + "\n";
  Status status = write_all(fd, reinterpret_cast<const uint8_t*>(text.data()),
                            text.size(), tmp.string());
  if (status.is_ok() && ::fsync(fd) != 0)
    status = errno_status("cannot sync " + tmp.string());
  ::close(fd);
  if (!status.is_ok()) return status;
  if (::rename(tmp.c_str(), (dir_ / "head").c_str()) != 0)
    return errno_status("cannot replace " + (dir_ / "head").string());
  if (::fsync(dir_fd_) != 0)
    return errno_status("cannot sync " + dir_.string());
  return Status::ok();
}

Status DiskQueue::delete_passed_segments() {
  // A segment is passed when the next one starts at or below head; the
  // active (last) segment is kept and reused.
  while (segments_.size() > 1 && segments_[1] <= head_) {
    std::error_code ec;
    std::filesystem::remove(segment_path(segments_.front()), ec);
    if (ec)
      return io_error("cannot remove " +
                      segment_path(segments_.front()).string());
    segments_.erase(segments_.begin());
  }
  return Status::ok();
}

Status DiskQueue::advance_head(uint64_t new_head) {
  if (new_head == head_) return Status::ok();
  head_ = new_head;
  Status status = write_head();
  if (!status.is_ok()) return status;
  return delete_passed_segments();
}

Expected<uint64_t> DiskQueue::push(std::span<const uint8_t> payload) {
  std::lock_guard lock(mutex_);
  if (payload.size() > limits_.max_bytes)
    return invalid_argument("event of " + std::to_string(payload.size()) +
                            " bytes exceeds the queue bound of " +
                            std::to_string(limits_.max_bytes) + " bytes");
  uint64_t new_head = head_;
  while (!entries_.empty() &&
         pending_bytes_ + payload.size() > limits_.max_bytes) {
    if (!entries_.front().acked) ++dropped_;
    pending_bytes_ -= entries_.front().size;
    new_head = entries_.front().seq + 1;
    entries_.pop_front();
  }
  if (entries_.empty()) new_head = tail_;
  Status status = advance_head(new_head);
  if (!status.is_ok()) return status;
  const size_t record = kRecordHeader + payload.size();
  if (active_size_ > 0 && active_size_ + record > limits_.segment_bytes) {
    status = start_segment(tail_);
    if (!status.is_ok()) return status;
  }
  std::vector<uint8_t> bytes(record);
  put_le(&bytes[0], payload.size(), 4);
  put_le(&bytes[8], tail_, 8);
  if (!payload.empty())
    std::memcpy(&bytes[kRecordHeader], payload.data(), payload.size());
  put_le(&bytes[4], crc32(&bytes[8], 8 + payload.size()), 4);
  const std::string path = segment_path(segments_.back()).string();
  status = write_all(active_fd_, bytes.data(), bytes.size(), path);
  if (!status.is_ok()) return status;
  if (::fdatasync(active_fd_) != 0) return errno_status("cannot sync " + path);
  entries_.push_back({tail_, segments_.back(), active_size_ + kRecordHeader,
                      static_cast<uint32_t>(payload.size()), false});
  active_size_ += record;
  pending_bytes_ += payload.size();
  return tail_++;
}

Expected<std::vector<QueuedRecord>> DiskQueue::read_from(uint64_t from,
                                                         size_t max) {
  std::lock_guard lock(mutex_);
  std::vector<QueuedRecord> out;
  if (entries_.empty()) return out;
  size_t i = from > entries_.front().seq ? from - entries_.front().seq : 0;
  for (; i < entries_.size() && out.size() < max; ++i) {
    const Entry& e = entries_[i];
    if (e.acked) continue;
    const std::filesystem::path path = segment_path(e.segment);
    std::ifstream in(path, std::ios::binary);
    QueuedRecord record{e.seq, std::vector<uint8_t>(e.size)};
    in.seekg(static_cast<std::streamoff>(e.offset));
    in.read(reinterpret_cast<char*>(record.payload.data()), e.size);
    if (!in)
      return io_error("cannot read record " + std::to_string(e.seq) + " from " +
                      path.string());
    out.push_back(std::move(record));
  }
  return out;
}

Status DiskQueue::ack(uint64_t seq) {
  std::lock_guard lock(mutex_);
  if (entries_.empty() || seq < entries_.front().seq ||
      seq > entries_.back().seq)
    return Status::ok();
  entries_[seq - entries_.front().seq].acked = true;
  uint64_t new_head = head_;
  while (!entries_.empty() && entries_.front().acked) {
    new_head = entries_.front().seq + 1;
    pending_bytes_ -= entries_.front().size;
    entries_.pop_front();
  }
  return advance_head(new_head);
}

uint64_t DiskQueue::head() const {
  std::lock_guard lock(mutex_);
  return head_;
}
uint64_t DiskQueue::tail() const {
  std::lock_guard lock(mutex_);
  return tail_;
}
size_t DiskQueue::pending() const {
  std::lock_guard lock(mutex_);
  return static_cast<size_t>(
      std::count_if(entries_.begin(), entries_.end(),
                    [](const Entry& e) { return !e.acked; }));
}
uint64_t DiskQueue::pending_bytes() const {
  std::lock_guard lock(mutex_);
  return pending_bytes_;
}
uint64_t DiskQueue::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}
uint64_t DiskQueue::recovered() const {
  std::lock_guard lock(mutex_);
  return recovered_;
}

}  // namespace tierml::hybrid
