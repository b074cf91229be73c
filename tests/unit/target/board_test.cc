#include "target/board.h"

#include <gtest/gtest.h>

#include <cstring>

#include "target/firmware_builder.h"
#include "target/profiler.h"

namespace tierml::target {
namespace {

TEST(Boards, TheFourTargetsAndTheirMachines) {
  const std::pair<const char*, const char*> expected[] = {
      {"cortex-m4", "mps2-an386"},
      {"cortex-m7", "mps2-an500"},
      {"cortex-m33", "mps2-an505"},
      {"cortex-m55", "mps3-an547"}};
  for (const auto& [target, machine] : expected) {
    auto board = find_board(target);
    ASSERT_TRUE(board) << target;
    EXPECT_EQ(board->machine, machine);
    EXPECT_EQ(board->cpu_flags[0], std::string("-mcpu=") + target);
  }
  auto bad = find_board("cortex-m0");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("cortex-m55"), std::string::npos);
}

TEST(FirmwareBuilder, GetterNamesFollowTheCApi) {
  // runtime/include/tierml/interpreter.h declares these names.
  EXPECT_EQ(op_getter_name(kTmOpConv2d), "tm_op_conv_2d");
  EXPECT_EQ(op_getter_name(kTmOpFullyConnected), "tm_op_fully_connected");
  EXPECT_EQ(op_getter_name(kTmOpUnidirectionalSequenceLstm),
            "tm_op_unidirectional_sequence_lstm");
  EXPECT_EQ(op_getter_name(kTmOpRelu6), "tm_op_relu6");
}

TEST(DefaultInput, DeterministicSizedAndInRange) {
  const auto a = default_input({kTmInt8, kTmFloat32}, {5, 16});
  const auto b = default_input({kTmInt8, kTmFloat32}, {5, 16});
  ASSERT_EQ(a.size(), 21u);
  EXPECT_EQ(a, b);
  for (size_t k = 5; k < 21; k += 4) {
    float value;
    std::memcpy(&value, &a[k], 4);
    EXPECT_GE(value, -1.0f);
    EXPECT_LT(value, 1.0f);
  }
}

}  // namespace
}  // namespace tierml::target
