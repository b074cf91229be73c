// One loaded version of a model: its interpreters (instances), a bounded
// queue and a dynamic batcher. Each instance has a worker thread that takes
// up to max_batch_size queued requests, waiting at most max_queue_delay from
// the oldest one's arrival for the batch to fill, and runs them as
// consecutive batch-1 invokes on its interpreter: a request's result never
// depends on what it was batched with.
//
// Without batching, a request that finds the queue empty and an instance idle
// runs at once on the submitting thread ("caller runs"): handing it to a
// worker costs two thread wake-ups, which for a small model cost more than
// the invoke. Workers take what queues up behind busy instances. Only a
// model whose invoke is short runs on the caller, though: the caller is an
// HTTP event loop, which serves none of its other connections meanwhile.
//
// Requests hold a shared_ptr to the version they were submitted to, so a
// reload or unload that drops the version from the repository lets them
// finish on it; stop() refuses new work and lets the workers empty the queue.
#ifndef TIERML_SERVE_MODEL_VERSION_H_
#define TIERML_SERVE_MODEL_VERSION_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "runtime_host/host_interpreter.h"
#include "serve/metrics.h"
#include "serve/model_config.h"
#include "serve/tensor_codec.h"

namespace tierml::serve {

using Clock = std::chrono::steady_clock;

// One inference request travelling through a version's queue. The HTTP
// side fills inputs, submits, then waits for it, blocking (wait_until) or
// not (notify_when_done + abandon, for an event loop); a worker fills the
// rest.
class Job {
 public:
  std::vector<std::vector<uint8_t>> inputs;  // model order, model types
  Clock::time_point deadline = Clock::time_point::max();

  // Set by the worker before complete().
  Status status;
  bool expired = false;  // the deadline passed before it ran
  std::vector<std::vector<uint8_t>> outputs;
  double queue_seconds = 0;
  double compute_seconds = 0;
  int batch_size = 0;

  // The waiter's side: true once complete() ran; false at the deadline, in
  // which case the job is abandoned and a worker will skip it.
  bool wait_until(Clock::time_point until);
  // The same for a waiter that must not block. notify_when_done registers
  // `done` to run on the thread that completes the job, unless the job is
  // already complete (false: nothing registered). abandon() gives up, as
  // wait_until does at its deadline: true when the job was not complete,
  // and then `done` never runs. Exactly one of the two reports the end.
  bool notify_when_done(std::function<void()> done);
  bool abandon();
  bool abandoned();
  void complete();

 private:
  friend class ModelVersion;
  Clock::time_point enqueued_;
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  bool abandoned_ = false;
  std::function<void()> on_done_;
};

enum class SubmitResult { kAccepted, kQueueFull, kStopped };

class ModelVersion {
 public:
  // Loads `instances` interpreters from the file, warms each one up with an
  // invoke on zero inputs, and starts their workers. Any failure (unreadable
  // or invalid model, an invoke that fails) is returned and nothing runs.
  static Expected<std::shared_ptr<ModelVersion>> load(
      const std::string& model, int64_t version, const std::string& path,
      const ModelConfig& config, int instances,
      std::shared_ptr<VersionMetrics> metrics);
  ~ModelVersion();
  ModelVersion(const ModelVersion&) = delete;
  ModelVersion& operator=(const ModelVersion&) = delete;

  SubmitResult submit(const std::shared_ptr<Job>& job);
  // Refuses new jobs; queued ones still run. Idempotent.
  void stop();
  // stop(), then waits until the workers have emptied the queue and exited.
  void drain();

  const std::string& model() const { return model_; }
  int64_t version() const { return version_; }
  const ModelConfig& config() const { return config_; }
  const std::vector<TensorSpec>& inputs() const { return inputs_; }
  const std::vector<TensorSpec>& outputs() const { return outputs_; }
  int instance_count() const { return static_cast<int>(instances_.size()); }
  VersionMetrics& metrics() { return *metrics_; }

 private:
  ModelVersion() = default;
  void work(int instance);
  void run_batch(HostInterpreter& interpreter,
                 std::vector<std::shared_ptr<Job>>& batch);
  void run_one(HostInterpreter& interpreter, Job& job);
  // Claims an idle instance for a request submitted to an empty queue of an
  // unbatched version whose invoke is short; -1 when it must queue. Called
  // with mutex_ held.
  int claim_for_caller();
  void release(int instance);

  std::string model_;
  int64_t version_ = 0;
  ModelConfig config_;
  std::vector<TensorSpec> inputs_, outputs_;
  bool stateful_ = false;  // has variable tensors: reset before each request
  std::vector<std::unique_ptr<HostInterpreter>> instances_;
  std::shared_ptr<VersionMetrics> metrics_;

  std::mutex mutex_;
  std::condition_variable queue_cv_;
  std::deque<std::shared_ptr<Job>> queue_;
  bool stopping_ = false;
  bool batching_ = false;
  bool caller_runs_ = false;  // the invoke is short enough (see load())
  std::vector<bool> busy_;  // per instance: a worker or a caller runs on it
  std::vector<std::thread> workers_;
};

}  // namespace tierml::serve

#endif  // TIERML_SERVE_MODEL_VERSION_H_
