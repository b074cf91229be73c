// `tierml profile`: builds a model's firmware for an emulated Cortex-M board,
// with the model compiled to C (`tierml compile`'s code) or run by the device
// interpreter, runs it under QEMU and measures flash, RAM and executed
// instructions, and checks the device's output bytes against the host
// interpreter's.
//
// Measurement, as for the TFLM figures in ../shared/baselines: QEMU runs with
// -icount shift=7,sleep=off (deterministic; every instruction advances the
// virtual clock 128 ns) and the firmware reads the board's counter around one
// invoke (firmware_output.h turns readings into instructions). Flash is the
// firmware's code, constants, model and initialised data; RAM is static data
// (.data + .bss, without the arena), the arena the interpreter reported (the
// compiler's plan for generated code), and the stack high-water mark of the
// invoke (stack painting). Per-layer figures come from a second inference
// whose layers are timed (the interpreter's operators wrapped by trampolines
// in the firmware; for generated code, a copy of its calls between hooks);
// the inference figure comes from the untimed one, so the timing never
// counts in it.
#ifndef TIERML_TARGET_PROFILER_H_
#define TIERML_TARGET_PROFILER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "target/board.h"
#include "target/profile_run.h"
#include "target/size_report.h"
#include "tierml/tensor.h"

namespace tierml::target {

struct ProfileOptions : BoardRunOptions {
  std::string model_path;
  std::string engine = "interpreter";  // or "compiled"
  // All inputs back to back; empty: a fixed pseudo-random input.
  std::optional<std::vector<uint8_t>> input;
};

struct LayerProfile {
  int index = 0;  // the operator's index in the model
  std::string op;
  uint64_t instructions = 0;  // beyond an empty operator's wrapper
  int64_t macs = 0;
};

struct ProfileResult {
  Board board;
  std::string engine;
  std::string opt;
  uint64_t instructions = 0;         // one invoke
  uint64_t calibration = 0;          // the per-layer wrapper's own cost
  std::vector<LayerProfile> layers;  // in the order the engine runs them
  int64_t macs = 0;
  FlashBytes flash;
  RamBytes ram;
  // Flash code and constants by where they came from (kernels, interpreter,
  // model reader, generated model, model, C library, firmware), from the map
  // file.
  std::map<std::string, uint64_t> code_by_origin;
  // Code (.text) of the kernels plus the interpreter and model reader, or
  // plus the generated code: the runtime, without startup, the profiling
  // main and the C library.
  uint64_t runtime_code = 0;
  bool output_matches_host = false;
  size_t output_bytes = 0;
  size_t mismatched_bytes = 0;
  std::vector<uint8_t> device_output;
  std::vector<uint8_t> host_output;
  std::string build_dir;  // kept only with keep_build
  int links = 0;          // arena sizing rounds
};

// io_error when the toolchain or QEMU is missing; invalid_argument for bad
// options or input; malformed_model / unsupported for the model; internal
// when a tool fails unexpectedly.
Expected<ProfileResult> profile_model(const ProfileOptions& options);

// A deterministic input for a model's input tensors (the host and the device
// get the same bytes): float32 uniform in [-1, 1), other types random bytes.
std::vector<uint8_t> default_input(const std::vector<TmType>& types,
                                   const std::vector<size_t>& bytes);

}  // namespace tierml::target

#endif  // TIERML_TARGET_PROFILER_H_
