// Counter readings to instruction counts, against the forward model of
// QEMU's counter: after n instructions of 128 ns it reads
// floor(n * 128 * hz / 1e9).
#include "target/firmware_output.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tierml::target {
namespace {

uint64_t ticks_after(uint64_t n, uint32_t hz) {
  // Exact in 128-bit arithmetic: the independent oracle.
  const unsigned __int128 ns = static_cast<unsigned __int128>(n) * 128;
  return static_cast<uint64_t>(ns * hz / 1000000000u);
}

TEST(InstructionAt, HandCalculatedAt25MHz) {
  // 46 instructions = 5888 ns = 147.2 ticks of 40 ns.
  EXPECT_EQ(ticks_after(46, 25000000), 147u);
  EXPECT_EQ(instruction_at(147, 25000000), 46u);
  // 150 ticks = 6000 ns; 46 instructions are 5888 ns, 47 are 6016 ns.
  EXPECT_EQ(instruction_at(150, 25000000), 47u);
  EXPECT_EQ(instruction_at(0, 25000000), 0u);
}

TEST(InstructionAt, InvertsTheCounterAtBothRates) {
  for (uint32_t hz : {25000000u, 20000000u}) {
    for (uint64_t n = 0; n < 200000; ++n) {
      ASSERT_EQ(instruction_at(ticks_after(n, hz), hz), n) << hz << " " << n;
    }
    // Far beyond one 32-bit wrap.
    for (uint64_t n : {uint64_t{1} << 33, (uint64_t{1} << 36) + 12345}) {
      EXPECT_EQ(instruction_at(ticks_after(n, hz), hz), n);
    }
  }
}

// A report as the firmware would print it for known instruction indices.
std::string firmware_text(
    uint64_t start, uint64_t end, uint32_t hz,
    const std::vector<std::pair<uint64_t, uint64_t>>& later) {
  auto low = [&](uint64_t n) {
    return std::to_string(static_cast<uint32_t>(ticks_after(n, hz)));
  };
  auto centis = [&](uint64_t n) { return std::to_string(n * 128 / 10000000); };
  std::string text = "arena_needed 4416 0 \n";
  text += "inference " + low(start) + " " + centis(start) + " " + low(end) +
          " " + centis(end) + "\nstack 444\n";
  for (size_t i = 0; i < later.size(); ++i) {
    text += std::string(i == 0 ? "calib 0" : "layer " + std::to_string(i - 1)) +
            " " + low(later[i].first) + " " + low(later[i].second) + "\n";
  }
  return text + "done\n";
}

TEST(CountInstructions, ExactCountsAndCalibrationSubtracted) {
  const uint32_t hz = 25000000;
  const std::string text = firmware_text(
      1000, 1443731, hz,
      {{1500000, 1500006}, {1600000, 1700006}, {1700100, 1700106}});
  auto report = parse_firmware_output(text);
  ASSERT_TRUE(report) << report.status().message();
  EXPECT_EQ(report->arena_needed, std::vector<uint32_t>{4416});
  EXPECT_EQ(report->stack_bytes, 444u);
  EXPECT_TRUE(report->done);
  auto counts = count_instructions(*report, hz);
  ASSERT_TRUE(counts) << counts.status().message();
  EXPECT_EQ(counts->inference, 1442731u);
  EXPECT_EQ(counts->calibration, 6u);
  EXPECT_EQ(counts->layers, (std::vector<uint64_t>{100000, 0}));
}

TEST(CountInstructions, InferenceLongerThanACounterWrap) {
  // 2^32 ticks at 20 MHz is 214.7 s, 1.68e9 instructions; run 3e9.
  const uint32_t hz = 20000000;
  const uint64_t start = 5000;
  const uint64_t end = start + 3000000000ull;
  const std::string text =
      firmware_text(start, end, hz, {{end + 100, end + 106}});
  auto report = parse_firmware_output(text);
  ASSERT_TRUE(report);
  auto counts = count_instructions(*report, hz);
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->inference, 3000000000ull);
  EXPECT_EQ(counts->calibration, 6u);
}

TEST(CountInstructions, LayerAcrossAWrapIsUnwrapped) {
  const uint32_t hz = 25000000;
  // The wrap at 2^32 ticks falls at instruction 1342177280.
  const uint64_t wrap_at = 1342177280ull;
  const std::string text = firmware_text(
      10, 20, hz,
      {{wrap_at - 1000, wrap_at - 994}, {wrap_at - 50, wrap_at + 950}});
  auto report = parse_firmware_output(text);
  ASSERT_TRUE(report);
  auto counts = count_instructions(*report, hz);
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->layers, std::vector<uint64_t>{994});
}

TEST(ParseFirmwareOutput, ErrorsAndFaults) {
  auto report = parse_firmware_output(
      "arena_needed 100 3 arena too small\nerror invoke: node 3 (CONV_2D): "
      "bad\ntierml-fault: hard fault\n");
  ASSERT_TRUE(report);
  EXPECT_EQ(report->init_status, std::vector<uint32_t>{3});
  ASSERT_EQ(report->errors.size(), 2u);
  EXPECT_EQ(report->errors[0], "invoke: node 3 (CONV_2D): bad");
  EXPECT_EQ(report->errors[1], "hard fault");
  EXPECT_FALSE(report->done);
  EXPECT_FALSE(count_instructions(*report, 25000000));
}

TEST(ParseFirmwareOutput, RejectsMalformedLines) {
  EXPECT_FALSE(parse_firmware_output("inference 1 2 3\n"));
  EXPECT_FALSE(parse_firmware_output("stack -4\n"));
  EXPECT_FALSE(parse_firmware_output("layer 1 5 6\n"));  // layer 0 missing
  EXPECT_FALSE(parse_firmware_output("calib 0 5 x\n"));
  EXPECT_FALSE(parse_firmware_output("arena_needed 99999999999 0\n"));
  // Lines QEMU itself may print are not the firmware's.
  EXPECT_TRUE(parse_firmware_output("qemu-system-arm: warning: x\n"));
}

}  // namespace
}  // namespace tierml::target
