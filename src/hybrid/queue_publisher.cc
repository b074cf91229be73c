#include "hybrid/queue_publisher.h"

namespace tierml::hybrid {

void QueuePublisher::on_connected() {
  std::lock_guard lock(mutex_);
  restart_ = true;
}

void QueuePublisher::on_published(int mid, int reason) {
  std::lock_guard lock(mutex_);
  const auto it = inflight_.find(mid);
  if (it == inflight_.end()) return;  // sent before a reconnect: resent since
  const uint64_t seq = it->second;
  inflight_.erase(it);
  // A failure reason (quota, authorisation, payload format) would fail the
  // same way again: the event is dropped and counted rather than retried.
  if (reason >= 128) {
    ++counts_.refused;
  } else {
    ++counts_.acked;
  }
  (void)queue_.ack(seq);
}

Status QueuePublisher::pump() {
  // Held across publish() so a PUBACK cannot be handled before its mid is
  // known here.
  std::lock_guard lock(mutex_);
  if (!client_ || !client_->connected()) return Status::ok();
  if (restart_) {
    inflight_.clear();
    next_ = queue_.head();
    restart_ = false;
  }
  if (inflight_.size() >= window_) return Status::ok();
  auto records = queue_.read_from(next_, window_ - inflight_.size());
  if (!records) return records.status();
  for (const QueuedRecord& record : *records) {
    auto mid = client_->publish(topic_, record.payload, 1);
    if (!mid) return mid.status();
    inflight_[*mid] = record.seq;
    next_ = record.seq + 1;
    ++counts_.published;
    counts_.bytes += record.payload.size();
  }
  return Status::ok();
}

PublisherCounts QueuePublisher::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

}  // namespace tierml::hybrid
