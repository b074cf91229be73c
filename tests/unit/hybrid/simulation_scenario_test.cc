#include "hybrid/simulation_scenario.h"

#include <gtest/gtest.h>

#include <fstream>

#include "unit/hybrid/temp_dir.h"

namespace tierml::hybrid {
namespace {

TEST(SimulationScenario, ReadsKeysAndResolvesTheModelPath) {
  TempDir dir;
  const auto path = dir.path() / "s.yaml";
  std::ofstream(path)
      << "trigger_model: m/trigger.tflite\nevents_per_hour: 30\n"
         "battery: cr2032\nconnections: 2\n";
  auto s = read_simulation_scenario(path.string());
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_EQ(s->trigger_model, (dir.path() / "m/trigger.tflite").string());
  EXPECT_EQ(s->events_per_hour, 30);
  EXPECT_EQ(s->decoys_per_hour, 60);  // default
  EXPECT_EQ(s->battery, "cr2032");
  EXPECT_EQ(s->connections, 2);
}

TEST(SimulationScenario, RejectsUnknownKeysAndBadValues) {
  TempDir dir;
  const auto path = dir.path() / "s.yaml";
  std::ofstream(path)
      << "trigger_model: t.tflite\nevents_per_hour: 30\nevent_per_hour: 5\n"
         "min_gain: 0\n";
  auto s = read_simulation_scenario(path.string());
  ASSERT_FALSE(s);
  EXPECT_NE(s.status().message().find("unknown key 'event_per_hour'"),
            std::string::npos);
  EXPECT_NE(s.status().message().find("min_gain"), std::string::npos);
}

}  // namespace
}  // namespace tierml::hybrid
