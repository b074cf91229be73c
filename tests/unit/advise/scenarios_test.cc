// The decision matrix and checklist of DECISION.md as scenarios, each with
// the answer a senior engineer gives and the reason it follows from.
#include <gmock/gmock.h>

#include "advise/advisor.h"
#include "unit/advise/advise_test_util.h"

namespace tierml::advise {
namespace {

using ::testing::HasSubstr;
using testing::catalog;
using testing::criterion;
using testing::option_for;

Advice advise_example(const std::string& file) {
  auto scenario = load_scenario(testing::examples_dir() / file);
  EXPECT_TRUE(scenario.has_value()) << scenario.status().message();
  auto advice = advise(*scenario, catalog());
  EXPECT_TRUE(advice.has_value()) << advice.status().message();
  return *advice;
}

TEST(Scenarios, HardRealTimeOfflineControlLoopRunsCompiledOnTheMcu) {
  const Advice a = advise_example("offline_control_loop.yaml");
  EXPECT_EQ(a.recommendation, "tinyml-compiled");
  // Nothing off the device is reachable offline.
  EXPECT_FALSE(criterion(option_for(a, Placement::kEdge), "offline").pass);
  EXPECT_FALSE(criterion(option_for(a, Placement::kCloud), "offline").pass);
  // 10 ms budget: 0.3 M MACs / 0.59 MACs per cycle at 100 MHz = 5.1 ms.
  const Criterion& latency = criterion(option_for(a, Placement::kTinymlCompiled), "latency");
  EXPECT_TRUE(latency.pass);
  EXPECT_NEAR(latency.value, 0.3e6 / 0.59 / 100e6 * 1e3, 1e-6);
}

TEST(Scenarios, CoinCellAtThousandInferencesADayKeepsAudioLocal) {
  const Advice a = advise_example("coin_cell_keyword.yaml");
  EXPECT_EQ(a.recommendation, "tinyml-compiled");
  EXPECT_THAT(a.summary, HasSubstr("longest battery life"));
  // Streaming 1,000 32 KB windows a day over BLE empties a CR2032 in under a year.
  const Criterion& edge_power = criterion(option_for(a, Placement::kEdge), "power");
  EXPECT_FALSE(edge_power.pass);
  EXPECT_LT(edge_power.value, 365);
  EXPECT_TRUE(criterion(option_for(a, Placement::kTinymlCompiled), "power").pass);
}

TEST(Scenarios, FiftyThousandStreamingDevicesBlowTheCloudBudget) {
  const Advice a = advise_example("vibration_fleet_cloud.yaml");
  const Criterion& bill = criterion(option_for(a, Placement::kCloud), "cloud_bill");
  EXPECT_FALSE(bill.pass);
  EXPECT_GT(bill.value, 5000);
  // Deciding on the device sends 5 results a day instead of 8,640 windows.
  EXPECT_EQ(a.recommendation, "tinyml-compiled");
  EXPECT_LT(criterion(option_for(a, Placement::kTinymlCompiled), "cloud_bill").value, 10);
}

TEST(Scenarios, HighResolutionVisionGoesToTheEdge) {
  const Advice a = advise_example("hires_vision.yaml");
  EXPECT_EQ(a.recommendation, "edge");
  const Option& mcu = option_for(a, Placement::kTinymlCompiled);
  EXPECT_FALSE(criterion(mcu, "complexity").pass);
  EXPECT_FALSE(criterion(mcu, "ram").pass);
  // The cloud also works but costs more than one gateway for 20 cameras.
  EXPECT_TRUE(option_for(a, Placement::kCloud).pass);
}

TEST(Scenarios, WeeklyUpdatesOverLorawanStayCentral) {
  const Advice a = advise_example("weekly_updates_lorawan.yaml");
  EXPECT_EQ(a.recommendation, "edge");
  const Criterion& compiled = criterion(option_for(a, Placement::kTinymlCompiled), "updates");
  EXPECT_FALSE(compiled.pass);
  EXPECT_THAT(compiled.why, HasSubstr("firmware release"));
  // A 200 KB blob takes more than a day of LoRaWAN air time at 1 % duty cycle.
  const Criterion& interpreted =
      criterion(option_for(a, Placement::kTinymlInterpreter), "updates");
  EXPECT_FALSE(interpreted.pass);
  EXPECT_THAT(interpreted.why, HasSubstr("days on lorawan"));
}

TEST(Scenarios, RawAudioThatMustNotLeaveTheDevice) {
  const Advice a = advise_example("private_audio.yaml");
  EXPECT_EQ(a.recommendation, "tinyml-compiled");
  for (Placement p : {Placement::kEdge, Placement::kCloud, Placement::kHybrid})
    EXPECT_FALSE(criterion(option_for(a, p), "privacy").pass) << placement_id(p);
  EXPECT_TRUE(criterion(option_for(a, Placement::kTinymlCompiled), "privacy").pass);
}

TEST(Scenarios, LorawanCannotCarryRawWindows) {
  const Advice a = advise_example("lorawan_raw_vibration.yaml");
  const Criterion& bandwidth = criterion(option_for(a, Placement::kEdge), "bandwidth");
  EXPECT_FALSE(bandwidth.pass);
  EXPECT_THAT(bandwidth.why, HasSubstr("1 % duty cycle"));
  EXPECT_THAT(a.recommendation, ::testing::StartsWith("tinyml-"));
}

TEST(Scenarios, ModelNeedingMoreRamThanThePart) {
  const Advice a = advise_example("model_too_big_for_ram.yaml");
  const Criterion& ram = criterion(option_for(a, Placement::kTinymlCompiled), "ram");
  EXPECT_FALSE(ram.pass);
  EXPECT_GT(ram.value, 1.0);  // more than the whole part, not just past 70 %
  EXPECT_EQ(a.recommendation, "edge");
}

}  // namespace
}  // namespace tierml::advise
