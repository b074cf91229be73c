// The catalog the advisor reasons with: microcontroller parts, radios,
// batteries, gateways and cloud prices, loaded from data/*.yaml. Every
// figure carries a source; the loader refuses a figure without one.
#ifndef TIERML_ADVISE_CATALOG_H_
#define TIERML_ADVISE_CATALOG_H_

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace tierml::advise {

struct Source {
  std::vector<std::string> fields;
  std::string source;
  std::string retrieved;
};

struct Board {
  std::string id, part, core;
  double clock_mhz = 0, flash_kib = 0, sram_kib = 0;
  double run_ua_per_mhz = 0, sleep_ua = 0, supply_v = 0;
  double unit_price_usd = 0;
  double macs_per_cycle_interpreter = 0, macs_per_cycle_compiled = 0;
  std::vector<std::string> radios;  // radios on the chip
  std::vector<Source> sources;
};

struct LoraDataRate {
  int spreading_factor = 7;
  double bandwidth_khz = 125;
  int coding_rate = 1;  // 1..4 for 4/5..4/8
};

struct Radio {
  std::string id, name;
  double tx_ma = 0, rx_ma = 0, supply_v = 0;
  double wake_mj = 0;
  double bitrate_bps = 0;  // 0 when air time comes from the LoRa formula
  double overhead_bytes = 0;
  double payload_limit_bytes = 0;  // 0: no limit
  double round_trip_ms = 0;
  // Round trip when the link stays up between messages (mains-powered
  // nodes never sleep the radio); the same as round_trip_ms unless given.
  double connected_round_trip_ms = 0;
  double duty_cycle = 1;
  double module_sleep_ua = 0, module_price_usd = 0;
  bool cellular = false;  // reaches the internet without a site gateway
  std::optional<LoraDataRate> lora;
  std::vector<Source> sources;
};

struct Battery {
  std::string id, name;
  double capacity_mah = 0, voltage_v = 0, pulse_limit_ma = 0;
  double self_discharge_per_year = 0, usable_fraction = 1;
  std::vector<Source> sources;
};

struct Gateway {
  std::string id, name;
  double throughput_scale = 1, power_w = 0, price_usd = 0;
  std::vector<Source> sources;
};

struct Cloud {
  double serverless_usd_per_million_requests = 0;
  double serverless_usd_per_gb_second = 0;
  double serverless_memory_gb = 0;
  double iot_messaging_usd_per_million = 0;
  double internet_round_trip_ms = 0;
  double throughput_scale = 1;
  double electricity_usd_per_kwh = 0;
  std::vector<Source> sources;
};

struct Catalog {
  std::vector<Board> boards;
  std::vector<Radio> radios;
  std::vector<Battery> batteries;
  std::vector<Gateway> gateways;
  Cloud cloud;

  const Board* board(const std::string& id) const;
  const Radio* radio(const std::string& id) const;
  const Battery* battery(const std::string& id) const;
  const Gateway* gateway(const std::string& id) const;
};

// Reads boards.yaml, radios.yaml, batteries.yaml, gateways.yaml and
// cloud.yaml from dir. Missing figures, figures without a source, duplicate
// ids and unknown keys are errors naming the file and entry.
Expected<Catalog> load_catalog(const std::filesystem::path& dir);

// data/ of the source tree, or $TIERML_DATA when set.
std::filesystem::path default_catalog_dir();

}  // namespace tierml::advise

#endif  // TIERML_ADVISE_CATALOG_H_
