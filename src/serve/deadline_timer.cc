#include "serve/deadline_timer.h"

namespace tierml::serve {

DeadlineTimer::DeadlineTimer() : thread_([this] { loop(); }) {}

DeadlineTimer::~DeadlineTimer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

DeadlineTimer::Ticket DeadlineTimer::schedule(Clock::time_point when,
                                              std::function<void()> callback) {
  Ticket ticket;
  bool earliest;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ticket = {when, next_id_++};
    earliest = due_.empty() || ticket < due_.begin()->first;
    due_.emplace(ticket, std::move(callback));
  }
  // Only a new earliest entry changes how long the thread should sleep.
  if (earliest) changed_.notify_all();
  return ticket;
}

void DeadlineTimer::cancel(const Ticket& ticket) {
  std::lock_guard<std::mutex> lock(mutex_);
  due_.erase(ticket);
}

void DeadlineTimer::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (due_.empty()) {
      changed_.wait(lock);
      continue;
    }
    const auto first = due_.begin();
    // A copy: the entry may be cancelled, and freed, while this waits.
    const Clock::time_point when = first->first.first;
    if (Clock::now() < when) {
      changed_.wait_until(lock, when);
      continue;
    }
    std::function<void()> callback = std::move(first->second);
    due_.erase(first);
    lock.unlock();
    callback();
    lock.lock();
  }
}

}  // namespace tierml::serve
