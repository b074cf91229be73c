// Runs callbacks at given times on one thread of its own. The server uses it
// to answer a request that waits, without blocking a thread, for a queued
// job at the job's deadline.
#ifndef TIERML_SERVE_DEADLINE_TIMER_H_
#define TIERML_SERVE_DEADLINE_TIMER_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "serve/model_version.h"

namespace tierml::serve {

class DeadlineTimer {
 public:
  using Ticket = std::pair<Clock::time_point, uint64_t>;

  DeadlineTimer();
  // Callbacks not yet due are dropped.
  ~DeadlineTimer();
  DeadlineTimer(const DeadlineTimer&) = delete;
  DeadlineTimer& operator=(const DeadlineTimer&) = delete;

  // Runs `callback` on the timer's thread at `when` (at once if passed).
  Ticket schedule(Clock::time_point when, std::function<void()> callback);
  // Drops a callback that has not started; one that ran or runs is left
  // alone, so callbacks must tolerate running after their cause went away.
  void cancel(const Ticket& ticket);

 private:
  void loop();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<Ticket, std::function<void()>> due_;
  uint64_t next_id_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tierml::serve

#endif  // TIERML_SERVE_DEADLINE_TIMER_H_
