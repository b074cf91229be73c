#include "runtime_host/host_interpreter.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

#include "interpreter/builtin_op_resolver.h"

namespace tierml {
namespace {

// Arena sizes the host tries before trusting the interpreter's figure; the
// cap only guards against a runaway loop on a hostile model.
constexpr size_t kFirstArenaBytes = 64 * 1024;
constexpr size_t kMaxArenaBytes = size_t{1} << 31;

}  // namespace

Status status_from_device(TmStatus status, const std::string& message) {
  switch (status) {
    case kTmOk:
      return Status::ok();
    case kTmErrorMalformedModel:
      return malformed_model(message);
    case kTmErrorUnsupported:
      return unsupported(message);
    case kTmErrorBadArgument:
      return invalid_argument(message);
    default:
      return Status(ErrorCode::kInternal, message);
  }
}

Expected<std::unique_ptr<HostInterpreter>> HostInterpreter::load_file(
    const std::string& path, InterpreterOptions options) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return io_error("cannot open model file " + path);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)),
                             std::istreambuf_iterator<char>());
  if (file.bad()) return io_error("cannot read model file " + path);
  return load(bytes, options);
}

Expected<std::unique_ptr<HostInterpreter>> HostInterpreter::load(
    std::span<const uint8_t> blob, InterpreterOptions options) {
  std::unique_ptr<HostInterpreter> host(new HostInterpreter());
  host->blob_ = AlignedBytes(blob.size());
  if (!blob.empty()) std::memcpy(host->blob_.data(), blob.data(), blob.size());
  TmStatus added = add_builtin_ops(host->resolver_);
  if (added != kTmOk) return Status(ErrorCode::kInternal, "op table full");
  Status status = host->init(options);
  if (!status.is_ok()) return status;
  return host;
}

Status HostInterpreter::init(InterpreterOptions options) {
  // Grow until the interpreter can tell the exact need, then plan into an
  // arena of exactly that size: this also proves the reported figure.
  size_t bytes = kFirstArenaBytes;
  while (true) {
    arena_ = AlignedBytes(bytes);
    const TmStatus status =
        interpreter_.init(blob_.data(), blob_.size(), arena_.data(),
                          arena_.size(), &resolver_, options);
    if (status == kTmOk) break;
    if (status != kTmErrorArenaTooSmall) {
      return status_from_device(status, interpreter_.last_error());
    }
    const size_t next = std::max(interpreter_.arena_bytes_needed(), 2 * bytes);
    if (next > kMaxArenaBytes) {
      return unsupported(std::string("model needs more arena than the host "
                                     "allows: ") +
                         interpreter_.last_error());
    }
    bytes = next;
  }
  // Every init runs every prepare, weight packing included (about 3 ms for
  // VWW), and the growing ones above stop at the first shortfall, having
  // packed the layers before it. Packing once would need a measuring init
  // that allocates the packed copies without filling them (an interpreter
  // option the glue's pack_filter honours, its model never ready); keeping
  // the larger arena instead would break arena_bytes() == the need, which
  // the profiler relies on.
  const size_t needed = interpreter_.arena_bytes_needed();
  if (needed == arena_.size()) return Status::ok();
  arena_ = AlignedBytes(needed);
  const TmStatus status =
      interpreter_.init(blob_.data(), blob_.size(), arena_.data(),
                        arena_.size(), &resolver_, options);
  if (status != kTmOk) {
    return Status(ErrorCode::kInternal,
                  std::string("arena of the reported size does not fit: ") +
                      interpreter_.last_error());
  }
  return Status::ok();
}

Status HostInterpreter::set_input(int i, std::span<const uint8_t> bytes) {
  TmTensor* tensor = interpreter_.input(i);
  if (tensor == nullptr) {
    return invalid_argument("input " + std::to_string(i) +
                            " does not exist (model has " +
                            std::to_string(num_inputs()) + ")");
  }
  if (bytes.size() != tensor->bytes) {
    return invalid_argument("input " + std::to_string(i) + " expects " +
                            std::to_string(tensor->bytes) + " bytes, got " +
                            std::to_string(bytes.size()));
  }
  if (!bytes.empty()) std::memcpy(tensor->data, bytes.data(), bytes.size());
  return Status::ok();
}

size_t HostInterpreter::total_input_bytes() {
  size_t total = 0;
  for (int i = 0; i < num_inputs(); ++i) total += interpreter_.input(i)->bytes;
  return total;
}

Status HostInterpreter::set_inputs(std::span<const uint8_t> bytes) {
  const size_t total = total_input_bytes();
  if (bytes.size() != total) {
    return invalid_argument("inputs expect " + std::to_string(total) +
                            " bytes in all, got " +
                            std::to_string(bytes.size()));
  }
  size_t offset = 0;
  for (int i = 0; i < num_inputs(); ++i) {
    const size_t n = interpreter_.input(i)->bytes;
    Status status = set_input(i, bytes.subspan(offset, n));
    if (!status.is_ok()) return status;
    offset += n;
  }
  return Status::ok();
}

Status HostInterpreter::invoke() {
  const TmStatus status = interpreter_.invoke();
  if (status == kTmOk) return Status::ok();
  return status_from_device(status, interpreter_.last_error());
}

Status HostInterpreter::reset() {
  const TmStatus status = interpreter_.reset();
  if (status == kTmOk) return Status::ok();
  return status_from_device(status, interpreter_.last_error());
}

std::span<const uint8_t> HostInterpreter::output_bytes(int i) {
  const TmTensor* tensor = interpreter_.output(i);
  if (tensor == nullptr) return {};
  return {static_cast<const uint8_t*>(tensor->data), tensor->bytes};
}

std::vector<uint8_t> HostInterpreter::outputs() {
  std::vector<uint8_t> all;
  for (int i = 0; i < num_outputs(); ++i) {
    std::span<const uint8_t> bytes = output_bytes(i);
    all.insert(all.end(), bytes.begin(), bytes.end());
  }
  return all;
}

}  // namespace tierml
