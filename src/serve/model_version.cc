#include "serve/model_version.h"

#include <algorithm>
#include <cstring>

namespace tierml::serve {
namespace {

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

std::string tensor_name(HostInterpreter& host, int32_t index) {
  const TensorView view = host.interpreter().model().tensor(index);
  return std::string(view.name ? view.name : "", view.name_length);
}

bool has_variables(HostInterpreter& host) {
  const ModelView& model = host.interpreter().model();
  for (int32_t i = 0; i < model.num_tensors(); ++i) {
    if (model.tensor(i).is_variable) return true;
  }
  return false;
}

// One invoke on zero inputs: proves the instance runs before it serves, and
// touches every page of its arena.
Status warm_up(HostInterpreter& host) {
  for (int i = 0; i < host.num_inputs(); ++i) {
    std::vector<uint8_t> zeros(host.input(i).bytes, 0);
    Status status = host.set_input(i, zeros);
    if (!status.is_ok()) return status;
  }
  Status status = host.invoke();
  if (!status.is_ok()) return status;
  return host.reset();
}

}  // namespace

bool Job::wait_until(Clock::time_point until) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (done_cv_.wait_until(lock, until, [this] { return done_; })) return true;
  abandoned_ = true;
  return false;
}

bool Job::notify_when_done(std::function<void()> done) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (done_) return false;
  on_done_ = std::move(done);
  return true;
}

bool Job::abandon() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (done_) return false;
  abandoned_ = true;
  on_done_ = nullptr;
  return true;
}

bool Job::abandoned() {
  std::lock_guard<std::mutex> lock(mutex_);
  return abandoned_;
}

void Job::complete() {
  std::function<void()> done;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
    done = std::move(on_done_);
  }
  done_cv_.notify_all();
  // Outside the lock: the callback may take the waiter's own locks.
  if (done) done();
}

Expected<std::shared_ptr<ModelVersion>> ModelVersion::load(
    const std::string& model, int64_t version, const std::string& path,
    const ModelConfig& config, int instances,
    std::shared_ptr<VersionMetrics> metrics) {
  std::shared_ptr<ModelVersion> self(new ModelVersion());
  self->model_ = model;
  self->version_ = version;
  self->config_ = config;
  self->metrics_ = std::move(metrics);
  Clock::duration warm_up_time{};
  for (int i = 0; i < std::max(1, instances); ++i) {
    auto host = HostInterpreter::load_file(path);
    if (!host) return host.status();
    const Clock::time_point begin = Clock::now();
    Status status = warm_up(**host);
    warm_up_time = Clock::now() - begin;
    if (!status.is_ok()) {
      return Status(status.code(),
                    "warm-up invoke failed: " + status.message());
    }
    self->instances_.push_back(std::move(*host));
  }
  HostInterpreter& first = *self->instances_.front();
  const ModelView& view = first.interpreter().model();
  for (int i = 0; i < first.num_inputs(); ++i) {
    self->inputs_.push_back(
        spec_of(first.input(i), tensor_name(first, view.inputs()[i])));
  }
  for (int i = 0; i < first.num_outputs(); ++i) {
    self->outputs_.push_back(
        spec_of(first.output(i), tensor_name(first, view.outputs()[i])));
  }
  for (const auto* specs : {&self->inputs_, &self->outputs_}) {
    for (const TensorSpec& spec : *specs) {
      if (datatype_name(spec.type).empty()) {
        return unsupported("tensor '" + spec.name + "' has type " +
                           tm_type_name(spec.type) +
                           ", which the inference protocol cannot carry");
      }
    }
  }
  self->stateful_ = has_variables(first);
  self->batching_ =
      config.max_batch_size > 1 && config.max_queue_delay.count() > 0;
  // A caller's event loop may stall its other connections this long (the
  // cold warm-up invoke overstates the warm ones); longer invokes go to the
  // workers, for two thread wake-ups of some tens of microseconds.
  self->caller_runs_ = warm_up_time < std::chrono::milliseconds(1);
  self->busy_.assign(self->instances_.size(), false);
  for (size_t i = 0; i < self->instances_.size(); ++i) {
    self->workers_.emplace_back(
        [raw = self.get(), i] { raw->work(static_cast<int>(i)); });
  }
  return self;
}

ModelVersion::~ModelVersion() { drain(); }

SubmitResult ModelVersion::submit(const std::shared_ptr<Job>& job) {
  int instance = -1;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return SubmitResult::kStopped;
    job->enqueued_ = Clock::now();
    instance = claim_for_caller();
    if (instance < 0) {
      if (static_cast<int>(queue_.size()) >= config_.queue_limit)
        return SubmitResult::kQueueFull;
      queue_.push_back(job);
      metrics_->queue_depth.store(static_cast<int64_t>(queue_.size()));
    }
  }
  if (instance < 0) {
    queue_cv_.notify_one();
    return SubmitResult::kAccepted;
  }
  std::vector<std::shared_ptr<Job>> batch = {job};
  run_batch(*instances_[static_cast<size_t>(instance)], batch);
  release(instance);
  return SubmitResult::kAccepted;
}

int ModelVersion::claim_for_caller() {
  if (!caller_runs_ || batching_ || !queue_.empty()) return -1;
  for (size_t i = 0; i < busy_.size(); ++i) {
    if (!busy_[i]) {
      busy_[i] = true;
      return static_cast<int>(i);
    }
  }
  return -1;
}

void ModelVersion::release(int instance) {
  bool wanted;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    busy_[static_cast<size_t>(instance)] = false;
    // A worker waits for its instance only when there is work or a stop;
    // waking them all after every caller-run request costs more than the
    // request (futex broadcasts and context switches).
    wanted = stopping_ || !queue_.empty();
  }
  if (wanted) queue_cv_.notify_all();
}

void ModelVersion::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
}

void ModelVersion::drain() {
  stop();
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

void ModelVersion::work(int instance) {
  const size_t max_batch = static_cast<size_t>(config_.max_batch_size);
  const size_t self = static_cast<size_t>(instance);
  std::vector<std::shared_ptr<Job>> batch;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      // A caller may be running on this instance: wait until it is free.
      queue_cv_.wait(lock, [this, self] {
        return !busy_[self] && (stopping_ || !queue_.empty());
      });
      if (queue_.empty()) return;  // stopping, and nothing left to run
      if (batching_) {
        // Wait for the batch to fill, at most until the oldest request has
        // waited max_queue_delay; a stop flushes at once.
        const Clock::time_point until =
            queue_.front()->enqueued_ + config_.max_queue_delay;
        while (!stopping_ && !queue_.empty() && queue_.size() < max_batch) {
          if (queue_cv_.wait_until(lock, until) == std::cv_status::timeout)
            break;
        }
        if (queue_.empty()) continue;  // another instance took them
      }
      const size_t n = std::min(max_batch, queue_.size());
      batch.assign(queue_.begin(), queue_.begin() + static_cast<long>(n));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(n));
      metrics_->queue_depth.store(static_cast<int64_t>(queue_.size()));
      busy_[self] = true;
    }
    run_batch(*instances_[self], batch);
    batch.clear();
    std::lock_guard<std::mutex> lock(mutex_);
    busy_[self] = false;
  }
}

void ModelVersion::run_batch(HostInterpreter& interpreter,
                             std::vector<std::shared_ptr<Job>>& batch) {
  const Clock::time_point start = Clock::now();
  int executed = 0;
  for (const std::shared_ptr<Job>& job : batch) {
    job->queue_seconds = seconds_between(job->enqueued_, start);
    job->batch_size = static_cast<int>(batch.size());
    // A request whose client stopped waiting, or whose deadline passed in
    // the queue, is not worth an invoke.
    if (job->abandoned() || Clock::now() >= job->deadline) {
      job->expired = true;
      job->status = Status(ErrorCode::kInternal, "deadline exceeded");
      job->complete();
      continue;
    }
    metrics_->queue_seconds.observe(job->queue_seconds);
    const Clock::time_point begin = Clock::now();
    run_one(interpreter, *job);
    job->compute_seconds = seconds_between(begin, Clock::now());
    metrics_->compute_seconds.observe(job->compute_seconds);
    ++executed;
    job->complete();
  }
  if (executed > 0) metrics_->batch_size.observe(executed);
}

void ModelVersion::run_one(HostInterpreter& interpreter, Job& job) {
  if (stateful_) {
    Status status = interpreter.reset();
    if (!status.is_ok()) {
      job.status = status;
      return;
    }
  }
  for (size_t i = 0; i < job.inputs.size(); ++i) {
    Status status = interpreter.set_input(static_cast<int>(i), job.inputs[i]);
    if (!status.is_ok()) {
      job.status = status;
      return;
    }
  }
  Status status = interpreter.invoke();
  if (!status.is_ok()) {
    job.status =
        Status(ErrorCode::kInternal, "invoke failed: " + status.message());
    return;
  }
  job.outputs.resize(outputs_.size());
  for (size_t i = 0; i < outputs_.size(); ++i) {
    std::span<const uint8_t> bytes =
        interpreter.output_bytes(static_cast<int>(i));
    job.outputs[i].assign(bytes.begin(), bytes.end());
  }
  job.status = Status::ok();
}

}  // namespace tierml::serve
