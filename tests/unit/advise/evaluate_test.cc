// Numbers behind single criteria, checked against hand calculations.
#include <gmock/gmock.h>

#include "advise/advisor.h"
#include "advise/report.h"
#include "unit/advise/advise_test_util.h"

namespace tierml::advise {
namespace {

using testing::catalog;
using testing::criterion;

Scenario base_scenario() {
  const char* yaml = R"(
name: hand-check
task: {macs: 1000000, params: 100000, activation_bytes: 20000, complexity: tiny}
device: stm32l476
sensor: {window_bytes: 1000, inferences_per_day: 1000, events_per_day: 10}
requirements:
  latency_ms: 100
  connectivity: always
  power: {battery: aa-alkaline, life_days: 365}
  raw_data_may_leave_device: true
  model_updates_per_year: 0
  fleet_size: 100
  radio: ble
  edge_gateway: true
)";
  auto s = parse_scenario(yaml, ".");
  EXPECT_TRUE(s.has_value()) << s.status().message();
  return *s;
}

TEST(Evaluate, EnergyPerDayOfCompiledTinyml) {
  const Scenario s = base_scenario();
  const Option o = evaluate(s, catalog(), Placement::kTinymlCompiled);
  // STM32L476 asleep: 1.1 uA * 3 V * 86400 s; the BLE module beside it
  // (the L476 has no radio) asleep: 1.0 uA * 3 V * 86400 s.
  const double sleep = 1.1e-6 * 3 * 86400 + 1.0e-6 * 3 * 86400;
  // 1,000 inferences of 1 M MACs at 0.59 MACs/cycle, 100 uA/MHz at 3 V.
  const double inference = 1000 * (1e6 / 0.59) * 100e-12 * 3;
  // 10 results of 16 bytes: 0.05 mJ + (16 + 14) * 8 / 700 kbit/s at 6.4 mA, 3 V.
  const double radio = 10 * (0.05e-3 + 30 * 8 / 700000.0 * 6.4e-3 * 3);
  EXPECT_NEAR(o.figures.energy_per_day_j, sleep + inference + radio, 1e-9);
  // 2 AA alkaline: 2.5 Ah * 3600 * 3 V * 0.8 usable; 3 %/year self-discharge.
  const double usable = 2.5 * 3600 * 3 * 0.8;
  const double self_discharge = 2.5 * 3600 * 3 * 0.03 / 365;
  EXPECT_NEAR(criterion(o, "power").value,
              usable / (sleep + inference + radio + self_discharge), 1e-6);
}

TEST(Evaluate, BandwidthPerMonthOfEdgeStreaming) {
  const Scenario s = base_scenario();
  const Option o = evaluate(s, catalog(), Placement::kEdge);
  // Every window goes to the gateway: 1,000 * 1,000 bytes * 30 days.
  EXPECT_DOUBLE_EQ(criterion(o, "bandwidth").value, 1000.0 * 1000 * 30);
}

TEST(Evaluate, CloudBillOfStreamingFleet) {
  const Scenario s = base_scenario();
  const Option o = evaluate(s, catalog(), Placement::kCloud);
  // 100 devices * 1,000 windows * 30 days = 3 M requests of 1 KB: 3 M IoT
  // messages ($1/M) and 3 M serverless requests ($0.20/M) billed at the 1 ms
  // minimum at 0.5 GB ($0.0000166667 per GB-s): host time for 1 M MACs is
  // 0.4 ms at 2.5 G MACs/s.
  const double requests = 100.0 * 1000 * 30;
  const double expected = requests * 1.0 / 1e6 + requests * 0.20 / 1e6 +
                          requests * 0.001 * 0.5 * 0.0000166667;
  EXPECT_NEAR(criterion(o, "cloud_bill").value, expected, 1e-9);
}

TEST(Evaluate, SeventyPercentRuleAtItsBoundary) {
  Scenario s = base_scenario();
  // Compiled flash = 96 KiB firmware + 12 KiB runtime + weights; 70 % of the
  // L476's 1024 KiB is 716.8 KiB, so weights may be 608.8 KiB = 623411.2 B.
  s.full->weight_bytes = 623411;
  EXPECT_TRUE(criterion(evaluate(s, catalog(), Placement::kTinymlCompiled), "flash").pass);
  s.full->weight_bytes = 623412;
  EXPECT_FALSE(criterion(evaluate(s, catalog(), Placement::kTinymlCompiled), "flash").pass);
  // RAM: 24 KiB firmware + arena within 89.6 KiB -> arena up to 65.6 KiB.
  s.full->weight_bytes = 1000;
  s.full->arena_bytes = 65.6 * 1024 - 1;
  EXPECT_TRUE(criterion(evaluate(s, catalog(), Placement::kTinymlCompiled), "ram").pass);
  s.full->arena_bytes = 65.6 * 1024 + 1;
  EXPECT_FALSE(criterion(evaluate(s, catalog(), Placement::kTinymlCompiled), "ram").pass);
}

TEST(Evaluate, CoinCellCannotFeedWifiBursts) {
  Scenario s = base_scenario();
  s.battery = "cr2032";
  s.radio = "wifi";
  const Criterion power = criterion(evaluate(s, catalog(), Placement::kEdge), "power");
  EXPECT_FALSE(power.pass);
  EXPECT_EQ(power.unit, "mA");
  EXPECT_GT(power.value, 15);
}

TEST(Evaluate, MainsPoweredWifiStaysAssociated) {
  // On a battery the Wi-Fi radio sleeps and re-associates for every message
  // (650 ms round trip); on mains it stays connected (20 ms). The rest of the
  // latency (air time, gateway compute) is the same for both.
  Scenario battery = base_scenario();
  battery.radio = "wifi";
  Scenario mains = battery;
  mains.mains_power = true;
  const double on_battery =
      criterion(evaluate(battery, catalog(), Placement::kEdge), "latency").value;
  const double on_mains =
      criterion(evaluate(mains, catalog(), Placement::kEdge), "latency").value;
  EXPECT_NEAR(on_battery - on_mains, 650 - 20, 1e-9);
}

TEST(Evaluate, JsonCarriesEveryCriterion) {
  const Scenario s = base_scenario();
  auto advice = advise(s, catalog());
  ASSERT_TRUE(advice.has_value());
  const nlohmann::json j = advice_to_json(*advice);
  EXPECT_EQ(j["recommendation"], advice->recommendation);
  ASSERT_EQ(j["options"].size(), 5u);
  for (const auto& option : j["options"]) {
    EXPECT_TRUE(option["verdict"] == "pass" || option["verdict"] == "fail");
    for (const auto& c : option["criteria"])
      for (const char* key : {"name", "pass", "value", "limit", "unit", "why"})
        EXPECT_TRUE(c.contains(key)) << key;
  }
}

}  // namespace
}  // namespace tierml::advise
