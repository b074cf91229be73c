// Flash and RAM of a linked firmware, from `arm-none-eabi-size -A` and the
// linker's map file (targets/common/sections.ld names the sections).
#ifndef TIERML_TARGET_SIZE_REPORT_H_
#define TIERML_TARGET_SIZE_REPORT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace tierml::target {

struct SectionSize {
  std::string name;
  uint64_t size = 0;
  uint64_t address = 0;
};

// Parses the System V format of `size -A` ("section size addr" rows after a
// header). invalid_argument when no section row is found.
Expected<std::vector<SectionSize>> parse_size_sysv(const std::string& text);

// One input section the linker placed, from the map file.
struct MapEntry {
  std::string output_section;  // ".text"
  std::string input_section;   // ".text.tm_conv_s8"
  std::string file;            // "lib.a(conv.o)" or "main.o"
  uint64_t size = 0;
};

// The placed input sections of a GNU ld map file (the part after "Linker
// script and memory map"; discarded sections are not listed).
std::vector<MapEntry> parse_map(const std::string& text);

// The part of an input file name that says where code came from: the archive
// member for "dir/libx.a(member.o)", the file name otherwise.
std::string map_origin(const std::string& file);

struct FlashBytes {
  uint64_t code = 0;       // .text
  uint64_t constants = 0;  // .rodata, .init_array, .ARM.exidx
  uint64_t model = 0;      // .tm_model (blob, or the generated constants)
  uint64_t data_init = 0;  // .data, copied to RAM at reset
  // .measure_text: the compiled engine's per-layer timing copy of the
  // model's calls, left out of the total.
  uint64_t measurement = 0;
  uint64_t total() const { return code + constants + model + data_init; }
};

struct RamBytes {
  uint64_t arena = 0;           // .arena
  uint64_t static_data = 0;     // .data + .bss
  uint64_t stack = 0;           // high-water mark measured on the device
  uint64_t stack_reserved = 0;  // .stack
  // .measure: the per-layer timing's own state, left out of the total.
  uint64_t measurement = 0;
  uint64_t total() const { return arena + static_data + stack; }
};

FlashBytes flash_bytes(const std::vector<SectionSize>& sections);
// stack is left 0: the firmware measures it.
RamBytes ram_bytes(const std::vector<SectionSize>& sections);

}  // namespace tierml::target

#endif  // TIERML_TARGET_SIZE_REPORT_H_
