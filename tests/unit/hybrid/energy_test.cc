#include "hybrid/energy.h"

#include <gtest/gtest.h>

#include "advise/catalog.h"
#include "advise/cost_model.h"

namespace tierml::hybrid {
namespace {

TEST(EnergyEstimate, AddsSleepInferencesAndMessagesFromTheCatalog) {
  auto e = EnergyEstimate::create("nrf52840", "ble", 10000);
  ASSERT_TRUE(e) << e.status().message();
  auto catalog = advise::load_catalog(advise::default_catalog_dir());
  ASSERT_TRUE(catalog);
  const advise::Board& board = *catalog->board("nrf52840");
  const advise::Radio& radio = *catalog->radio("ble");
  advise::ModelFigures trigger;
  trigger.macs = 10000;
  const double inference = advise::device_inference_energy_j(
      board, advise::Engine::kInterpreter, trigger);
  EXPECT_DOUBLE_EQ(e->inference_j(), inference);
  // BLE is on the nRF52840: sleep is the board's alone.
  const double sleep_day = advise::sleep_energy_per_day_j(board, nullptr);
  // A day with 1000 inferences and 10 messages of 200 bytes each.
  const double hand =
      sleep_day + 1000 * inference + 10 * advise::send_energy_j(radio, 200);
  EXPECT_NEAR(e->total_j(86400, 1000, 10, 2000), hand, 1e-12 * hand);
}

TEST(EnergyEstimate, UnknownIdsListTheKnownOnes) {
  auto e = EnergyEstimate::create("no-such-board", "ble", 1);
  ASSERT_FALSE(e);
  EXPECT_NE(e.status().message().find("nrf52840"), std::string::npos);
}

}  // namespace
}  // namespace tierml::hybrid
