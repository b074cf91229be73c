// Each cost model against a calculation done by hand in the comment above it.
#include "advise/cost_model.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tierml::advise {
namespace {

Radio lora_sf7() {
  Radio r;
  r.id = "lora";
  r.tx_ma = 87;
  r.supply_v = 3.3;
  r.wake_mj = 7.1;
  r.overhead_bytes = 13;
  r.payload_limit_bytes = 115;
  r.duty_cycle = 0.01;
  r.lora = LoraDataRate{7, 125, 1};
  return r;
}

Radio ble() {
  Radio r;
  r.id = "ble";
  r.tx_ma = 6.4;
  r.supply_v = 3.0;
  r.wake_mj = 0.05;
  r.bitrate_bps = 700000;
  r.overhead_bytes = 14;
  r.duty_cycle = 1;
  return r;
}

TEST(CostModel, LoraAirTimeMatchesSemtechFormula) {
  // SF7/125 kHz, CR 4/5, 10-byte payload + 13 LoRaWAN bytes = 23 bytes:
  // symbol = 2^7 / 125 kHz = 1.024 ms; payload symbols = 8 + ceil((184 - 28 +
  // 28 + 16) / 28) * 5 = 8 + 8*5 = 48; preamble 12.25 -> 60.25 symbols.
  EXPECT_NEAR(air_time_s(lora_sf7(), 10), 60.25 * 1.024e-3, 1e-9);
  // SF12 at 125 kHz turns on low data rate optimisation (DE = 1):
  // symbol = 4096 / 125000 = 32.768 ms; 51 + 13 = 64 bytes:
  // 8 + ceil((512 - 48 + 44) / (4 * 10)) * 5 = 8 + 13 * 5 = 73; + 12.25.
  Radio sf12 = lora_sf7();
  sf12.lora->spreading_factor = 12;
  EXPECT_NEAR(air_time_s(sf12, 51), 85.25 * 32.768e-3, 1e-9);
}

TEST(CostModel, FragmentsAndDutyCycleWaits) {
  const Radio r = lora_sf7();
  EXPECT_EQ(messages_for(r, 115), 1);
  EXPECT_EQ(messages_for(r, 116), 2);
  EXPECT_EQ(messages_for(r, 2048), 18);  // ceil(2048 / 115)
  // 2 fragments of 100 bytes: each 113 bytes on air -> 8 + ceil((904 - 28 +
  // 44) / 28) * 5 = 8 + 33 * 5 = 173 symbols + 12.25 = 185.25 * 1.024 ms;
  // one wait of air * (1 / 0.01 - 1) = 99 air times between them.
  const double air = 185.25 * 1.024e-3;
  EXPECT_NEAR(uplink_latency_ms(r, 200), (2 * air + 99 * air) * 1000, 1e-6);
  EXPECT_NEAR(daily_air_time_budget_s(r), 864, 1e-9);
}

TEST(CostModel, SendEnergy) {
  // BLE, 1,000 bytes: (1000 + 14) * 8 / 700000 s * 6.4 mA * 3 V + 0.05 mJ.
  const double air = 1014 * 8 / 700000.0;
  EXPECT_NEAR(send_energy_j(ble(), 1000), air * 6.4e-3 * 3 + 0.05e-3, 1e-12);
}

Board m4() {
  Board b;
  b.clock_mhz = 80;
  b.run_ua_per_mhz = 100;
  b.sleep_ua = 1.1;
  b.supply_v = 3.0;
  b.macs_per_cycle_interpreter = 0.3;
  b.macs_per_cycle_compiled = 0.6;
  return b;
}

TEST(CostModel, DeviceInference) {
  // 2.4 M MACs at 0.6 MACs/cycle = 4 M cycles; at 80 MHz = 50 ms; current
  // 100 uA/MHz * 80 MHz = 8 mA at 3 V = 24 mW for 50 ms = 1.2 mJ.
  ModelFigures model;
  model.macs = 2.4e6;
  EXPECT_NEAR(device_inference_ms(m4(), Engine::kCompiled, model), 50, 1e-9);
  EXPECT_NEAR(device_inference_energy_j(m4(), Engine::kCompiled, model), 1.2e-3, 1e-12);
  // The interpreter at 0.3 MACs/cycle takes twice as long and as much energy.
  EXPECT_NEAR(device_inference_energy_j(m4(), Engine::kInterpreter, model), 2.4e-3, 1e-12);
}

TEST(CostModel, MeasuredInstructionsReplaceTheMacEstimate) {
  // Cycles per instruction: 2.66/7.70 MACs per instruction over the board's
  // 0.3 interpreter MACs per cycle; the measured engine only.
  ModelFigures model;
  model.macs = 2.4e6;
  model.measured_compiled = MeasuredRun{5e6, 0, 0, 0, "cortex-m4", "p.json"};
  const double cpi = 2.66 / 7.70 / 0.3;
  EXPECT_NEAR(cycles_per_instruction(m4()), cpi, 1e-12);
  EXPECT_NEAR(device_inference_ms(m4(), Engine::kCompiled, model), 5e6 * cpi / 80e6 * 1e3, 1e-9);
  EXPECT_NEAR(device_inference_energy_j(m4(), Engine::kCompiled, model),
              5e6 * cpi * 100e-12 * 3.0, 1e-15);
  EXPECT_NEAR(device_inference_ms(m4(), Engine::kInterpreter, model), 100, 1e-9);
}

TEST(CostModel, SleepAndBatteryLife) {
  // 1.1 uA * 3 V * 86400 s = 0.28512 J; a BLE module asleep at 1 uA, 3 V adds 0.2592 J.
  EXPECT_NEAR(sleep_energy_per_day_j(m4(), nullptr), 0.28512, 1e-9);
  Radio module = ble();
  module.module_sleep_ua = 1.0;
  EXPECT_NEAR(sleep_energy_per_day_j(m4(), &module), 0.28512 + 0.2592, 1e-9);

  Battery cr2032;
  cr2032.capacity_mah = 235;
  cr2032.voltage_v = 3.0;
  cr2032.usable_fraction = 0.8;
  cr2032.self_discharge_per_year = 0.01;
  // Usable: 0.235 Ah * 3600 * 3 V * 0.8 = 2030.4 J. Self-discharge: 2538 J *
  // 1 % / 365 = 0.069534 J/day. At 1 J/day: 2030.4 / 1.069534 = 1898.4 days.
  EXPECT_NEAR(battery_energy_j(cr2032), 2030.4, 1e-9);
  EXPECT_NEAR(battery_life_days(cr2032, 1.0), 2030.4 / (1 + 2538.0 * 0.01 / 365), 1e-6);
}

TEST(CostModel, CloudBills) {
  Cloud cloud;
  cloud.serverless_usd_per_million_requests = 0.20;
  cloud.serverless_usd_per_gb_second = 0.0000166667;
  cloud.serverless_memory_gb = 0.5;
  cloud.iot_messaging_usd_per_million = 1.0;
  // 10 M requests of 4 ms at 0.5 GB: $2 + 10e6 * 0.004 * 0.5 * 1.66667e-5 = $2.333.
  EXPECT_NEAR(serverless_usd_per_month(cloud, 10e6, 4), 2 + 10e6 * 0.004 * 0.5 * 0.0000166667,
              1e-9);
  // Below 1 ms a request is billed 1 ms.
  EXPECT_NEAR(serverless_usd_per_month(cloud, 1e6, 0.1), 0.2 + 1e6 * 0.001 * 0.5 * 0.0000166667,
              1e-9);
  EXPECT_NEAR(messaging_usd_per_month(cloud, 3e6), 3.0, 1e-12);
}

}  // namespace
}  // namespace tierml::advise
