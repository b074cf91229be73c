#include "advise/scenario.h"

#include <gmock/gmock.h>

namespace tierml::advise {
namespace {

using ::testing::HasSubstr;

constexpr const char* kMinimal = R"(
name: minimal
task: {macs: 1000, params: 10, activation_bytes: 100}
device: nrf52840
sensor: {window_bytes: 64, inferences_per_day: 10}
requirements: {radio: ble}
)";

TEST(ScenarioParse, DefaultsAreTheDocumentedOnes) {
  auto s = parse_scenario(kMinimal, ".");
  ASSERT_TRUE(s.has_value()) << s.status().message();
  EXPECT_EQ(s->complexity, Complexity::kModerate);
  EXPECT_EQ(s->connectivity, Connectivity::kAlways);
  EXPECT_TRUE(s->mains_power);
  EXPECT_TRUE(s->raw_data_may_leave_device);
  EXPECT_DOUBLE_EQ(s->fleet_size, 1);
  EXPECT_DOUBLE_EQ(s->task_model().macs, 1000);
  EXPECT_EQ(&s->task_model(), &s->trigger_model());  // one model is the whole task
}

TEST(ScenarioParse, BatteryPower) {
  std::string yaml = kMinimal;
  yaml.replace(yaml.find("{radio: ble}"), 12,
               "{radio: ble, power: {battery: cr2032, life_days: 730}}");
  auto s = parse_scenario(yaml, ".");
  ASSERT_TRUE(s.has_value()) << s.status().message();
  EXPECT_FALSE(s->mains_power);
  EXPECT_EQ(s->battery, "cr2032");
  EXPECT_DOUBLE_EQ(s->life_days, 730);
}

struct BadCase {
  const char* from;
  const char* to;
  const char* message;
};

class ScenarioErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(ScenarioErrors, NameTheProblem) {
  std::string yaml = kMinimal;
  const BadCase& c = GetParam();
  yaml.replace(yaml.find(c.from), std::string(c.from).size(), c.to);
  auto s = parse_scenario(yaml, ".");
  ASSERT_FALSE(s.has_value());
  EXPECT_THAT(s.status().message(), HasSubstr(c.message));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ScenarioErrors,
    ::testing::Values(
        BadCase{"device: nrf52840", "devise: nrf52840", "unknown key 'devise'"},
        BadCase{"macs: 1000, ", "", "go together"},
        BadCase{"inferences_per_day: 10", "inferences_per_day: ten", "must be a number"},
        BadCase{"inferences_per_day: 10", "inferences_per_day: 10, events_per_day: 20",
                "cannot exceed"},
        BadCase{"{radio: ble}", "{radio: ble, connectivity: sometimes}", "connectivity"},
        BadCase{"{radio: ble}", "{radio: ble, power: solar}", "'power' must be mains"},
        BadCase{"{radio: ble}", "{}", "'radio' is missing"},
        BadCase{"name: minimal", "name: [", "not valid YAML"}));

}  // namespace
}  // namespace tierml::advise
