// What the profiling firmwares (targets/common/profile_*main.cc) print, and
// how their counter readings become instruction counts. A feature pipeline's
// firmware reports its window as the "inference" and, in its stage build,
// each stage call as a "layer".
//
// Under -icount shift=7 QEMU's virtual clock advances exactly 128 ns per
// executed instruction, and the board's counter reads floor(t * f / 1e9) at
// virtual time t. After n instructions it therefore reads floor(n * 128 f /
// 1e9); with f = 25 MHz that is floor(3.2 n), with 20 MHz floor(2.56 n). Both
// steps exceed one tick, so each reading names exactly one n (the smallest
// n whose tick count reaches it) and differences of n are exact instruction
// counts. The 32-bit counter wraps after 2^32 ticks (172 s virtual at
// 25 MHz, about 1.3e9 instructions); the 100 Hz counter read beside the
// inference's readings resolves the wraps, and later readings are unwrapped
// in order (each layer is far shorter than a wrap).
#ifndef TIERML_TARGET_FIRMWARE_OUTPUT_H_
#define TIERML_TARGET_FIRMWARE_OUTPUT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace tierml::target {

struct CounterPair {
  uint32_t before = 0;
  uint32_t after = 0;
};

struct FirmwareReport {
  // One per init, in order: the arena the interpreter asked for and the
  // TmStatus of the init (0 ok, 3 arena too small).
  std::vector<uint32_t> arena_needed;
  std::vector<uint32_t> init_status;
  std::optional<CounterPair> inference;
  uint32_t clock100hz_before = 0;
  uint32_t clock100hz_after = 0;
  std::optional<uint32_t> stack_bytes;
  std::optional<CounterPair> calibration;
  std::vector<CounterPair> layers;  // index = node
  bool done = false;
  std::vector<std::string> errors;  // "error ..." lines, without the key
};

// Parses the firmware's stdout. malformed lines (a known key with missing or
// non-numeric fields, layers out of order) are invalid_argument; unknown
// lines are ignored (QEMU may print its own).
Expected<FirmwareReport> parse_firmware_output(const std::string& text);

// The instruction index a counter reading names: the smallest n with
// floor(n * 128 * counter_hz / 1e9) >= ticks.
uint64_t instruction_at(uint64_t ticks, uint32_t counter_hz);

// The instructions between the two readings of one pair taken less than a
// counter wrap apart.
uint64_t instructions_between(const CounterPair& pair, uint32_t counter_hz);

struct InstructionCounts {
  uint64_t inference = 0;
  uint64_t calibration = 0;  // the timing trampoline around an empty operator
  std::vector<uint64_t> layers;  // each layer minus the calibration
};

// invalid_argument when the report lacks the inference, or the calibration
// of its layers.
Expected<InstructionCounts> count_instructions(const FirmwareReport& report,
                                               uint32_t counter_hz);

}  // namespace tierml::target

#endif  // TIERML_TARGET_FIRMWARE_OUTPUT_H_
