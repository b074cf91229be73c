// The one way to run a model on the host: owns the blob (16-byte aligned, as
// the device would hold it) and a heap arena sized from the interpreter's own
// figure, and turns device status codes into Status values. Used by
// `tierml run`, the golden tests and the benchmarks.
#ifndef TIERML_RUNTIME_HOST_HOST_INTERPRETER_H_
#define TIERML_RUNTIME_HOST_HOST_INTERPRETER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "interpreter/interpreter.h"
#include "interpreter/op_resolver.h"

namespace tierml {

// Bytes kept at 16-byte alignment (flatbuffer data and arena alike).
class AlignedBytes {
 public:
  AlignedBytes() = default;
  explicit AlignedBytes(size_t size) : chunks_((size + 15) / 16), size_(size) {}
  uint8_t* data() { return reinterpret_cast<uint8_t*>(chunks_.data()); }
  const uint8_t* data() const {
    return reinterpret_cast<const uint8_t*>(chunks_.data());
  }
  size_t size() const { return size_; }

 private:
  struct alignas(16) Chunk {
    uint8_t bytes[16];
  };
  std::vector<Chunk> chunks_;
  size_t size_ = 0;
};

// Maps a device status (and the interpreter's message) to a host Status.
Status status_from_device(TmStatus status, const std::string& message);

class HostInterpreter {
 public:
  // Reads and loads a model; malformed_model / unsupported for a bad one,
  // io_error when the file cannot be read.
  static Expected<std::unique_ptr<HostInterpreter>> load_file(
      const std::string& path, InterpreterOptions options = {});
  static Expected<std::unique_ptr<HostInterpreter>> load(
      std::span<const uint8_t> blob, InterpreterOptions options = {});

  int num_inputs() const { return interpreter_.num_inputs(); }
  int num_outputs() const { return interpreter_.num_outputs(); }
  const TmTensor& input(int i) { return *interpreter_.input(i); }
  const TmTensor& output(int i) { return *interpreter_.output(i); }

  // invalid_argument naming expected and actual sizes.
  Status set_input(int i, std::span<const uint8_t> bytes);
  // All inputs back to back in model order (the golden in_*.bin layout).
  Status set_inputs(std::span<const uint8_t> bytes);
  size_t total_input_bytes();
  Status invoke();
  Status reset();
  std::span<const uint8_t> output_bytes(int i);
  // All outputs back to back in model order.
  std::vector<uint8_t> outputs();

  // The arena this model was planned into: exactly what it reported needing.
  size_t arena_bytes() const { return arena_.size(); }
  Interpreter& interpreter() { return interpreter_; }

 private:
  HostInterpreter() = default;
  Status init(InterpreterOptions options);

  AlignedBytes blob_;
  AlignedBytes arena_;
  OpResolver resolver_;
  Interpreter interpreter_;
};

}  // namespace tierml

#endif  // TIERML_RUNTIME_HOST_HOST_INTERPRETER_H_
