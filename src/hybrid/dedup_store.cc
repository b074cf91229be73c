#include "hybrid/dedup_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

namespace tierml::hybrid {
namespace {

Status errno_status(const std::string& what) {
  return io_error(what + ": " + std::strerror(errno));
}

// Holds the group's flock for a scope.
class FileLock {
 public:
  explicit FileLock(int fd) : fd_(fd) {
    while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
    }
  }
  ~FileLock() { ::flock(fd_, LOCK_UN); }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

Status write_all(int fd, const std::string& text, const std::string& path) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status("cannot write " + path);
    }
    done += static_cast<size_t>(n);
  }
  return Status::ok();
}

std::string line_for(const std::string& id, const std::string& decision) {
  return nlohmann::json{{"id", id}, {"d", decision}}.dump() + "\n";
}

}  // namespace

Expected<std::unique_ptr<DedupStore>> DedupStore::open(
    const std::filesystem::path& dir, size_t capacity) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return io_error("cannot create state directory " + dir.string() + ": " +
                    ec.message());
  std::unique_ptr<DedupStore> store(new DedupStore());
  store->dir_ = dir;
  store->log_path_ = dir / "decisions.log";
  store->capacity_ = std::max<size_t>(capacity, 1);
  const std::string lock_path = (dir / "lock").string();
  store->lock_fd_ =
      ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (store->lock_fd_ < 0) return errno_status("cannot open " + lock_path);
  FileLock lock(store->lock_fd_);
  Status status = store->reopen();
  if (status.is_ok()) status = store->refresh();
  if (!status.is_ok()) return status;
  return store;
}

DedupStore::~DedupStore() {
  if (log_fd_ >= 0) ::close(log_fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

Status DedupStore::reopen() {
  if (log_fd_ >= 0) ::close(log_fd_);
  log_fd_ =
      ::open(log_path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd_ < 0) return errno_status("cannot open " + log_path_.string());
  struct stat st {};
  if (::fstat(log_fd_, &st) != 0)
    return errno_status("cannot stat " + log_path_.string());
  log_inode_ = st.st_ino;
  offset_ = 0;
  lines_ = 0;
  decisions_.clear();
  order_.clear();
  return Status::ok();
}

void DedupStore::remember(const std::string& id, std::string decision) {
  if (decisions_.emplace(id, std::move(decision)).second) order_.push_back(id);
  while (order_.size() > capacity_) {
    decisions_.erase(order_.front());
    order_.pop_front();
  }
}

Status DedupStore::refresh() {
  struct stat st {};
  if (::stat(log_path_.c_str(), &st) != 0 || st.st_ino != log_inode_ ||
      static_cast<uint64_t>(st.st_size) < offset_) {
    Status status = reopen();  // another gateway compacted the log
    if (!status.is_ok()) return status;
    if (::fstat(log_fd_, &st) != 0)
      return errno_status("cannot stat " + log_path_.string());
  }
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size == offset_) return Status::ok();
  std::vector<char> bytes(size - offset_);
  const ssize_t n =
      ::pread(log_fd_, bytes.data(), bytes.size(), static_cast<off_t>(offset_));
  if (n != static_cast<ssize_t>(bytes.size()))
    return errno_status("cannot read " + log_path_.string());
  size_t start = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] != '\n') continue;
    const auto line = nlohmann::json::parse(bytes.begin() + start,
                                            bytes.begin() + i, nullptr, false);
    if (line.is_object() && line.contains("id") && line["id"].is_string() &&
        line.contains("d") && line["d"].is_string())
      remember(line["id"].get<std::string>(), line["d"].get<std::string>());
    ++lines_;
    start = i + 1;
  }
  offset_ += start;
  if (start != bytes.size()) {
    // A torn line: its writer crashed before its fsync returned, so nobody
    // acted on it. We hold the lock, so no one is appending: cut it off.
    if (::ftruncate(log_fd_, static_cast<off_t>(offset_)) != 0)
      return errno_status("cannot truncate torn line in " + log_path_.string());
  }
  return Status::ok();
}

Status DedupStore::compact() {
  const std::filesystem::path tmp = dir_ / "decisions.log.tmp";
  const int fd =
      ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno_status("cannot write " + tmp.string());
  std::string text;
  for (const std::string& id : order_) text += line_for(id, decisions_.at(id));
  Status status = write_all(fd, text, tmp.string());
  if (status.is_ok() && ::fsync(fd) != 0)
    status = errno_status("cannot sync " + tmp.string());
  ::close(fd);
  if (!status.is_ok()) return status;
  if (::rename(tmp.c_str(), log_path_.c_str()) != 0)
    return errno_status("cannot replace " + log_path_.string());
  const int dir_fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  status = reopen();
  if (!status.is_ok()) return status;
  return refresh();
}

Expected<std::optional<std::string>> DedupStore::find(const std::string& id) {
  std::lock_guard guard(mutex_);
  FileLock lock(lock_fd_);
  Status status = refresh();
  if (!status.is_ok()) return status;
  const auto it = decisions_.find(id);
  if (it == decisions_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

Expected<DedupStore::Claim> DedupStore::record(const std::string& id,
                                               const std::string& decision) {
  std::lock_guard guard(mutex_);
  FileLock lock(lock_fd_);
  Status status = refresh();
  if (!status.is_ok()) return status;
  if (const auto it = decisions_.find(id); it != decisions_.end())
    return Claim{false, it->second};
  const std::string line = line_for(id, decision);
  status = write_all(log_fd_, line, log_path_.string());
  if (status.is_ok() && ::fdatasync(log_fd_) != 0)
    status = errno_status("cannot sync " + log_path_.string());
  if (!status.is_ok()) return status;
  offset_ += line.size();
  ++lines_;
  remember(id, decision);
  if (lines_ > 2 * capacity_) {
    status = compact();
    if (!status.is_ok()) return status;
  }
  return Claim{true, decision};
}

size_t DedupStore::size() const {
  std::lock_guard guard(mutex_);
  return decisions_.size();
}

}  // namespace tierml::hybrid
