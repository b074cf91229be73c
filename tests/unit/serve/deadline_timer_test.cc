#include "serve/deadline_timer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace tierml::serve {
namespace {

using std::chrono::milliseconds;

TEST(DeadlineTimer, RunsCallbacksInTheOrderOfTheirTimes) {
  DeadlineTimer timer;
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<int> order;
  const Clock::time_point now = Clock::now();
  auto record = [&](int id) {
    return [&, id] {
      std::lock_guard<std::mutex> lock(mutex);
      order.push_back(id);
      cv.notify_all();
    };
  };
  // Scheduled out of order; the later first, so the earlier must wake the
  // thread out of its longer sleep.
  timer.schedule(now + milliseconds(60), record(3));
  timer.schedule(now + milliseconds(20), record(2));
  timer.schedule(now - milliseconds(5), record(1));  // already due
  std::unique_lock<std::mutex> lock(mutex);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(5),
                          [&] { return order.size() == 3; }));
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_GE(Clock::now(), now + milliseconds(60));
}

TEST(DeadlineTimer, CancelledCallbacksDoNotRun) {
  std::atomic<int> runs{0};
  {
    DeadlineTimer timer;
    const auto ticket = timer.schedule(Clock::now() + milliseconds(30),
                                       [&] { runs.fetch_add(1); });
    // Cancelled while the thread sleeps until it (which must not then read
    // the freed entry: ASan).
    std::this_thread::sleep_for(milliseconds(10));
    timer.cancel(ticket);
    timer.cancel(ticket);  // twice is harmless
    timer.schedule(Clock::now() + std::chrono::hours(1),
                   [&] { runs.fetch_add(1); });  // dropped at destruction
    std::this_thread::sleep_for(milliseconds(40));
  }
  EXPECT_EQ(runs.load(), 0);
}

}  // namespace
}  // namespace tierml::serve
