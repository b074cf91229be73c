// What every `tierml profile` run shares, a model's (profiler.h) or a
// feature pipeline's (feature_profiler.h): the options that pick the board
// and build, the cached runtime and a run folder, the QEMU run, what the
// firmware's exit codes mean, and the flash and RAM figures of the linked
// firmware.
#ifndef TIERML_TARGET_PROFILE_RUN_H_
#define TIERML_TARGET_PROFILE_RUN_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "target/board.h"
#include "target/firmware_builder.h"
#include "target/firmware_output.h"
#include "target/process.h"
#include "target/size_report.h"

namespace tierml::target {

struct BoardRunOptions {
  std::string target;  // cortex-m4, cortex-m7, cortex-m33, cortex-m55
  std::string opt = "O2";
  std::string source_dir;  // empty: the checkout this tierml was built from
  std::string cache_dir;  // empty: $TIERML_TARGET_CACHE or <build>/target-cache
  bool keep_build = false;       // keep the run folder (else removed)
  double timeout_seconds = 900;  // for each QEMU run
  std::function<void(const std::string&)> progress;  // may be empty
};

// The board options.target names; invalid_argument for an unknown target
// or optimisation level.
Expected<Board> check_run_options(const BoardRunOptions& options);

// One QEMU run of dir/firmware.elf and what the firmware printed.
struct Run {
  ProcessResult process;
  FirmwareReport report;
};

// Flash and RAM of the linked firmware; ram.stack is the run's high-water
// mark.
struct FirmwareFigures {
  FlashBytes flash;
  RamBytes ram;
  // Code and constants by where they came from (origin_group).
  std::map<std::string, uint64_t> code_by_origin;
  std::vector<MapEntry> map;
};

// The cached runtime for a board, a run folder and the runs in it.
class Workspace {
 public:
  // io_error when QEMU or the Arm toolchain is missing or no folder can be
  // made; internal when the runtime does not compile.
  static Expected<std::unique_ptr<Workspace>> create(
      const BoardRunOptions& options, const Board& board);
  ~Workspace();  // removes the run folder unless keep_build
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  FirmwareBuilder& builder() { return builder_; }
  const std::string& dir() const { return dir_; }
  // Writes input.bin, which the firmware reads.
  Status write_input(const std::vector<uint8_t>& bytes) const;
  // Runs the linked firmware; progress names the per-layer run of layers
  // (none for a feature pipeline).
  Expected<Run> run(size_t layers) const;
  // A status for a failed run: unsupported when init or the measured call
  // failed or what (the "inference", the "window") overflowed the stack,
  // internal for a fault or any other failure.
  Status check_exit(const Run& run, const std::string& what) const;
  Expected<FirmwareFigures> figures(const Run& run) const;
  Expected<std::vector<uint8_t>> read_output() const;

 private:
  Workspace(const BoardRunOptions& options, BuildSettings settings);

  BoardRunOptions options_;
  BuildSettings settings_;
  FirmwareBuilder builder_;
  std::string dir_;
};

// One output tensor's place in the concatenated output bytes.
struct OutputTensor {
  bool is_float32 = false;
  size_t bytes = 0;
};

// Bytes that differ between the device's output and the host's, a length
// difference counting as that many. Values of float32 tensors count as equal
// within 1e-5 relative (1e-6 absolute floor): the device's FPU sums in
// another order than the host's vectorised loops. Without tensors, every
// byte must be equal.
size_t mismatched_bytes(const std::vector<uint8_t>& device,
                        const std::vector<uint8_t>& host,
                        const std::vector<OutputTensor>& tensors = {});

// The group code_by_origin counts an input file of the map under ("kernels",
// "dsp", "interpreter", "model reader", "generated model", "model",
// "C library", "firmware").
std::string origin_group(const std::string& map_file);

}  // namespace tierml::target

#endif  // TIERML_TARGET_PROFILE_RUN_H_
