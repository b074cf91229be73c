// The emulated boards `tierml profile` runs on: QEMU machine, compiler flags
// for the core, and the counter the firmware reads. Memory maps live in
// targets/<machine>/memory.ld.
#ifndef TIERML_TARGET_BOARD_H_
#define TIERML_TARGET_BOARD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace tierml::target {

struct Board {
  std::string target;   // the name users give: "cortex-m4"
  std::string machine;  // QEMU machine and targets/ folder: "mps2-an386"
  std::vector<std::string> cpu_flags;  // arm-none-eabi-gcc core and FPU
  // FPGAIO free-running counter and its 100 Hz counter, and the counter's
  // rate in QEMU (25 MHz on mps2-an386/an500, 20 MHz on an505/an547: the
  // TrustZone boards clock it from their 20 MHz SYSCLK).
  uint32_t counter_address = 0;
  uint32_t clock100hz_address = 0;
  uint32_t counter_hz = 0;
  uint64_t flash_bytes = 0;  // the memory.ld regions
  uint64_t ram_bytes = 0;
};

const std::vector<Board>& boards();
// invalid_argument listing the known targets when name is not one.
Expected<Board> find_board(const std::string& target);

// QEMU's -icount shift=7: the virtual clock advances 2^7 ns per instruction.
constexpr int kIcountShift = 7;
constexpr uint64_t kNanosecondsPerInstruction = uint64_t{1} << kIcountShift;

}  // namespace tierml::target

#endif  // TIERML_TARGET_BOARD_H_
