// A golden subset on the emulated boards, through both engines (the
// interpreter and the generated C of `tierml compile`): the profiling
// firmware's output bytes for in_0.bin are TFLM's out_0.bin. Covers every
// kind of kernel the golden models use on Cortex-M4 (int8, int16, float,
// stateful SVDF and LSTM), and on Cortex-M55 the models whose conv,
// depthwise and fully connected layers take the Helium paths (full and
// tail-predicated vectors, border windows with the input offset). Kept to a few minutes: one input per model, small models.
// Skips without QEMU or the Arm toolchain.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <tuple>
#include <vector>

#include "target/process.h"
#include "target/profiler.h"

namespace tierml {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
}

// Byte for byte, except float32 outputs: relative 1e-5, absolute floor 1e-6
// (the device's FPU and the host's SSE may round sums differently).
std::string difference(const std::vector<uint8_t>& got,
                       const std::vector<uint8_t>& want, bool is_float) {
  if (got.size() != want.size()) {
    return "size " + std::to_string(got.size()) + ", expected " +
           std::to_string(want.size());
  }
  if (!is_float) {
    for (size_t i = 0; i < got.size(); ++i) {
      if (got[i] != want[i]) return "byte " + std::to_string(i) + " differs";
    }
    return "";
  }
  for (size_t i = 0; i + 4 <= got.size(); i += 4) {
    float a, b;
    std::memcpy(&a, &got[i], 4);
    std::memcpy(&b, &want[i], 4);
    const double limit =
        std::max(1e-6, 1e-5 * std::max(std::fabs(a), std::fabs(b)));
    if (!(std::fabs(static_cast<double>(a) - b) <= limit)) {
      return "float at byte " + std::to_string(i) + ": " + std::to_string(a) +
             " vs " + std::to_string(b);
    }
  }
  return "";
}

struct Case {
  const char* model;
  const char* target;
  bool is_float;
};

using Param = std::tuple<Case, const char*>;  // the case, the engine

class QemuGolden : public ::testing::TestWithParam<Param> {};

std::string case_name(const ::testing::TestParamInfo<Param>& info) {
  const auto& [c, engine] = info.param;
  std::string name = std::string(c.model) + "_" + c.target + "_" + engine;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

TEST_P(QemuGolden, DeviceOutputIsTflmOutput) {
  const auto& [c, engine] = GetParam();
  for (const char* tool : {"qemu-system-arm", "arm-none-eabi-gcc"}) {
    if (target::find_program(tool).empty()) {
      GTEST_SKIP() << tool << " not installed";
    }
  }
  const fs::path dir = fs::path(TIERML_SHARED_DIR) / "golden" / c.model;
  if (!fs::exists(dir / "model.tflite")) {
    GTEST_SKIP() << "no golden data at " << dir;
  }
  target::ProfileOptions options;
  options.model_path = (dir / "model.tflite").string();
  options.target = c.target;
  options.engine = engine;
  options.input = read_bytes(dir / "in_0.bin");
  auto result = target::profile_model(options);
  ASSERT_TRUE(result) << result.status().message();
  EXPECT_EQ(difference(result->device_output, read_bytes(dir / "out_0.bin"),
                       c.is_float),
            "");
  EXPECT_GT(result->instructions, 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Subset, QemuGolden,
    ::testing::Combine(
        ::testing::Values(
            Case{"tiny_kws_ref_model", "cortex-m4", false},
            Case{"tflm_micro_speech_quantized", "cortex-m4", false},
            Case{"tflm_keyword_scrambled_8bit", "cortex-m4", false},
            Case{"tflm_xtensa_micro_speech_lstm", "cortex-m4", false},
            Case{"seanet_conv3", "cortex-m4", false},
            Case{"seanet_transpose_conv4", "cortex-m4", false},
            Case{"seanet_add0", "cortex-m4", false},
            Case{"tflm_hello_world_float", "cortex-m4", true},
            Case{"tflm_micro_speech_quantized", "cortex-m55", false},
            Case{"tiny_kws_ref_model", "cortex-m55", false},
            Case{"tiny_ad01_int8", "cortex-m55", false},
            Case{"tiny_vww_96_int8", "cortex-m55", false},
            Case{"tiny_pretrainedResnet_quant", "cortex-m55", false}),
        ::testing::Values("interpreter", "compiled")),
    case_name);

}  // namespace
}  // namespace tierml
