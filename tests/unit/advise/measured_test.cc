#include "advise/measured.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "advise/cost_model.h"
#include "advise/footprint.h"
#include "advise_test_util.h"
#include "unit/serve/serve_test_models.h"

namespace tierml::advise {
namespace {

using serve::testing::TempDir;
using serve::testing::write_file;

// A scenario naming a real model file, and a profile report of that file as
// `tierml profile --json` writes it (the fields the advisor reads).
class MeasuredTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir_.path() / "tiny.tflite", serve::testing::classifier_bytes());
    auto parsed = parse_scenario(R"(
name: measured
task: {tiny_model: tiny.tflite}
device: nrf52840
firmware: {flash_kib: 100, ram_kib: 20}
sensor: {window_bytes: 64, inferences_per_day: 10}
requirements: {radio: ble}
)",
                                 dir_.path());
    ASSERT_TRUE(parsed) << parsed.status().message();
    scenario_ = *parsed;
    ASSERT_TRUE(resolve_models(scenario_).is_ok());
    report_ = {{"model", (dir_.path() / "tiny.tflite").string()},
               {"target", "cortex-m4"},
               {"engine", "compiled"},
               {"output_matches_host", true},
               {"instructions_per_inference", 3000000},
               {"flash", {{"runtime_code", 4096}, {"model", 2048}}},
               {"ram", {{"total", 3072}}}};
  }
  Status apply() {
    const auto path = dir_.path() / "profile.json";
    const std::string text = report_.dump();
    write_file(path, std::vector<uint8_t>(text.begin(), text.end()));
    return apply_measured_profile(scenario_, board(), path);
  }
  const Board& board() { return *testing::catalog().board("nrf52840"); }

  TempDir dir_;
  Scenario scenario_;
  nlohmann::json report_;
};

TEST_F(MeasuredTest, ReplacesTheEstimatesOfThatEngineOnly) {
  ASSERT_TRUE(apply().is_ok());
  const ModelFigures& model = *scenario_.tiny;
  ASSERT_TRUE(model.measured_compiled);
  EXPECT_FALSE(model.measured_interpreter);
  // Flash: 100 KiB firmware + 4 KiB runtime + 2 KiB model; RAM: 20 + 3 KiB.
  const Footprint measured = device_footprint(scenario_, model, Engine::kCompiled);
  EXPECT_DOUBLE_EQ(measured.flash_kib, 106);
  EXPECT_DOUBLE_EQ(measured.ram_kib, 23);
  // Time: 3 M instructions x (2.66/7.70 / 0.30) cycles each at 64 MHz.
  EXPECT_NEAR(device_inference_ms(board(), Engine::kCompiled, model),
              3e6 * (2.66 / 7.70 / 0.30) / 64e6 * 1e3, 1e-9);
  // The interpreter keeps the MAC-based estimate.
  EXPECT_NEAR(device_inference_ms(board(), Engine::kInterpreter, model),
              model.macs / 0.30 / 64e6 * 1e3, 1e-12);
}

TEST_F(MeasuredTest, AdviceSaysWhatWasMeasured) {
  ASSERT_TRUE(apply().is_ok());
  auto advice = advise(scenario_, testing::catalog());
  ASSERT_TRUE(advice) << advice.status().message();
  const Option& compiled =
      testing::option_for(*advice, Placement::kTinymlCompiled);
  EXPECT_NE(testing::criterion(compiled, "latency").why.find("instructions measured on cortex-m4"),
            std::string::npos);
  bool noted = false;
  for (const auto& line : advice->assumptions)
    noted |= line.find("tiny.tflite compiled: flash, RAM and instructions per inference measured") !=
             std::string::npos;
  EXPECT_TRUE(noted);
}

TEST_F(MeasuredTest, RefusesWhatItCannotUse) {
  report_["target"] = "cortex-m7";
  EXPECT_NE(apply().message().find("profile with --target cortex-m4"), std::string::npos);
  report_["target"] = "cortex-m4";
  report_["output_matches_host"] = false;
  EXPECT_NE(apply().message().find("did not match the host"), std::string::npos);
  report_["output_matches_host"] = true;
  report_["flash"].erase("runtime_code");
  EXPECT_NE(apply().message().find("'/flash/runtime_code' is missing"), std::string::npos);
  report_["flash"]["runtime_code"] = 4096;
  write_file(dir_.path() / "other.tflite", {1, 2, 3});
  report_["model"] = (dir_.path() / "other.tflite").string();
  EXPECT_NE(apply().message().find("neither of the scenario's model files"), std::string::npos);
  EXPECT_FALSE(scenario_.tiny->measured_compiled);  // nothing attached on refusal
  write_file(dir_.path() / "profile.json", {'{', '1'});
  EXPECT_NE(apply_measured_profile(scenario_, board(), dir_.path() / "profile.json")
                .message()
                .find("not JSON"),
            std::string::npos);
}

}  // namespace
}  // namespace tierml::advise
