// Parsing arm-none-eabi-size -A and GNU ld map output, on text in the exact
// format those tools print (taken from a real firmware, trimmed).
#include "target/size_report.h"

#include <gtest/gtest.h>

#include <map>

#include "target/profiler.h"

namespace tierml::target {
namespace {

constexpr const char* kSizeOutput = R"(firmware.elf  :
section             size        addr
.text              41884           0
.rodata            10660       41884
.tm_model         276976       52544
.stack             16384   536870912
.data                  8   536887296
.bss                1632   536887304
.arena             11728   536888944
.measure            1120   536900672
.comment              38           0
.ARM.attributes       50           0
.debug_info         3982           0
Total             367650


)";

TEST(ParseSizeSysv, SectionsAndBreakdowns) {
  auto sections = parse_size_sysv(kSizeOutput);
  ASSERT_TRUE(sections) << sections.status().message();
  ASSERT_EQ(sections->size(), 11u);
  EXPECT_EQ((*sections)[0].name, ".text");
  EXPECT_EQ((*sections)[0].size, 41884u);
  EXPECT_EQ((*sections)[3].address, 536870912u);

  const FlashBytes flash = flash_bytes(*sections);
  EXPECT_EQ(flash.code, 41884u);
  EXPECT_EQ(flash.constants, 10660u);
  EXPECT_EQ(flash.model, 276976u);
  EXPECT_EQ(flash.data_init, 8u);
  EXPECT_EQ(flash.total(), 41884u + 10660u + 276976u + 8u);

  RamBytes ram = ram_bytes(*sections);
  EXPECT_EQ(ram.arena, 11728u);
  EXPECT_EQ(ram.static_data, 8u + 1632u);
  EXPECT_EQ(ram.stack_reserved, 16384u);
  EXPECT_EQ(ram.measurement, 1120u);  // reported, not in the total
  EXPECT_EQ(ram.stack, 0u);           // measured on the device, not in the ELF
  ram.stack = 444;
  EXPECT_EQ(ram.total(), 11728u + 1640u + 444u);
}

TEST(ParseSizeSysv, CompiledEnginesTimingCopyIsNotFlash) {
  auto sections = parse_size_sysv(
      "firmware.elf  :\nsection size addr\n.text 9000 0\n.rodata 700 9000\n"
      ".tm_model 52000 9712\n.measure_text 1400 61712\n.data 8 536887296\n");
  ASSERT_TRUE(sections) << sections.status().message();
  const FlashBytes flash = flash_bytes(*sections);
  EXPECT_EQ(flash.measurement, 1400u);
  EXPECT_EQ(flash.total(), 9000u + 700u + 52000u + 8u);
}

TEST(ParseSizeSysv, RejectsOutputWithoutSections) {
  EXPECT_FALSE(parse_size_sysv(""));
  EXPECT_FALSE(parse_size_sysv("arm-none-eabi-size: 'x.elf': No such file\n"));
  EXPECT_FALSE(parse_size_sysv("section size addr\n.text 12x 0\n"));
}

constexpr const char* kMap =
    R"(Archive member included to satisfy reference by file (symbol)

/cache/libtierml_runtime.a(runtime_kernels_fully_connected.cc.o)
                              model_ops.o (tm_op_fully_connected)

Discarded input sections

 .text          0x00000000        0x0 main.o
 .text.unused   0x00000000       0x40 /cache/libtierml_runtime.a(runtime_kernels_conv.cc.o)

Memory Configuration

Name             Origin             Length             Attributes
FLASH            0x00000000         0x00400000         xr

Linker script and memory map

                0x00004000                        TM_STACK_BYTES = 0x4000
LOAD main.o

.text           0x00000000     0xa39c
 *(.vectors)
 .vectors       0x00000000       0x40 startup.o
                0x00000000                tm_vectors
 *(.text .text.*)
 .text._ZN12_GLOBAL__N_14Line6numberEm
                0x00000040       0x70 main.o
 .text.tm_fully_connected_s8
                0x000000b0      0x1f4 /cache/libtierml_runtime.a(runtime_kernels_fully_connected.cc.o)
                0x000000b0                tm_fully_connected_s8
 *fill*         0x000002a4        0x4 
 .text          0x000002a8       0x30 /usr/lib/arm-none-eabi/lib/thumb/v7e-m+fp/hard/libc_nano.a(libc_a-memcpy-stub.o)
 .text.empty    0x000002d8        0x0 main.o

.rodata         0x0000a39c     0x29a4
 *(.rodata .rodata.*)
 .rodata.main.str1.4
                0x0000a3c8       0xde main.o
 .rodata._ZN6tierml9ModelView6verifyEv
                0x0000a4a8      0x120 /cache/libtierml_runtime.a(runtime_model_model_view.cc.o)

.tm_model       0x0000cd40    0x439f0
 *(.tm_model)
 .tm_model      0x0000cd40    0x439f0 model_blob.o
)";

TEST(ParseMap, PlacedInputSectionsOnly) {
  const std::vector<MapEntry> entries = parse_map(kMap);
  ASSERT_EQ(entries.size(), 7u);
  EXPECT_EQ(entries[0].output_section, ".text");
  EXPECT_EQ(entries[0].input_section, ".vectors");
  EXPECT_EQ(entries[0].file, "startup.o");
  EXPECT_EQ(entries[0].size, 0x40u);
  EXPECT_EQ(entries[1].input_section, ".text._ZN12_GLOBAL__N_14Line6numberEm");
  EXPECT_EQ(entries[1].size, 0x70u);
  EXPECT_EQ(entries[2].size, 0x1f4u);
  EXPECT_EQ(map_origin(entries[2].file),
            "runtime_kernels_fully_connected.cc.o");
  EXPECT_EQ(map_origin(entries[3].file), "libc_a-memcpy-stub.o");
  EXPECT_EQ(entries[5].output_section, ".rodata");
  EXPECT_EQ(entries[6].output_section, ".tm_model");
  EXPECT_EQ(entries[6].size, 0x439f0u);
}

TEST(ParseMap, GroupsByOrigin) {
  std::map<std::string, uint64_t> groups;
  for (const MapEntry& e : parse_map(kMap)) {
    if (e.output_section != ".tm_model") groups[origin_group(e.file)] += e.size;
  }
  EXPECT_EQ(groups["firmware"], 0x40u + 0x70u + 0xdeu);
  EXPECT_EQ(groups["kernels"], 0x1f4u);
  EXPECT_EQ(groups["C library"], 0x30u);
  EXPECT_EQ(groups["model reader"], 0x120u);
  EXPECT_EQ(groups.size(), 4u);
}

TEST(ParseMap, NothingBeforeTheMemoryMap) {
  EXPECT_TRUE(
      parse_map("Discarded input sections\n\n .text 0x0 0x40 a.o\n").empty());
}

}  // namespace
}  // namespace tierml::target
