#include "advise/catalog.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <set>

#include "advise/yaml_fields.h"

#ifndef TIERML_DATA_DIR
#define TIERML_DATA_DIR "data"
#endif

namespace tierml::advise {
namespace {

template <typename T>
const T* find_by_id(const std::vector<T>& items, const std::string& id) {
  auto it = std::find_if(items.begin(), items.end(),
                         [&](const T& item) { return item.id == id; });
  return it == items.end() ? nullptr : &*it;
}

std::vector<Source> read_sources(YamlFields& fields) {
  std::vector<Source> sources;
  YAML::Node list = fields.child("sources");
  if (!list.IsSequence() || list.size() == 0) {
    fields.fail("'sources' must list where every figure comes from");
    return sources;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    YamlFields entry(list[i], fields.where() + " sources[" + std::to_string(i) + "]");
    Source source;
    source.fields = entry.text_list_or_empty("fields");
    source.source = entry.text("source");
    source.retrieved = entry.text("retrieved");
    if (std::string error = entry.finish(); !error.empty()) fields.fail(error);
    sources.push_back(std::move(source));
  }
  return sources;
}

// Every figure must be named by some source entry.
void require_cited(YamlFields& fields, const std::vector<Source>& sources,
                   const std::vector<std::string>& figures) {
  std::set<std::string> cited;
  for (const auto& source : sources) cited.insert(source.fields.begin(), source.fields.end());
  for (const auto& figure : figures) {
    if (!cited.count(figure)) {
      fields.fail("figure '" + figure + "' has no source");
      return;
    }
  }
}

using EntryReader = std::function<std::string(YamlFields&)>;

Status read_list(const std::filesystem::path& file, const EntryReader& read_entry) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file.string());
  } catch (const YAML::Exception& e) {
    return invalid_argument(file.string() + ": " + e.what());
  }
  if (!root.IsSequence())
    return invalid_argument(file.string() + ": expected a list of entries");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < root.size(); ++i) {
    YamlFields fields(root[i], file.filename().string() + " entry " + std::to_string(i));
    std::string id = read_entry(fields);
    if (!id.empty() && !ids.insert(id).second) fields.fail("duplicate id '" + id + "'");
    if (std::string error = fields.finish(); !error.empty())
      return invalid_argument(file.string() + ": " + error);
  }
  return Status::ok();
}

std::string read_board(YamlFields& f, Catalog& catalog) {
  Board b;
  b.id = f.text("id");
  b.part = f.text("part");
  b.core = f.text("core");
  b.clock_mhz = f.number("clock_mhz");
  b.flash_kib = f.number("flash_kib");
  b.sram_kib = f.number("sram_kib");
  b.run_ua_per_mhz = f.number("run_ua_per_mhz");
  b.sleep_ua = f.number("sleep_ua");
  b.supply_v = f.number("supply_v");
  b.unit_price_usd = f.number("unit_price_usd");
  YamlFields macs(f.child("macs_per_cycle"), f.where() + " macs_per_cycle");
  b.macs_per_cycle_interpreter = macs.number("interpreter");
  b.macs_per_cycle_compiled = macs.number("compiled");
  if (std::string error = macs.finish(); !error.empty()) f.fail(error);
  b.radios = f.text_list_or_empty("radios");
  b.sources = read_sources(f);
  require_cited(f, b.sources,
                {"clock_mhz", "flash_kib", "sram_kib", "run_ua_per_mhz", "sleep_ua",
                 "unit_price_usd", "macs_per_cycle"});
  if (b.clock_mhz <= 0 || b.supply_v <= 0 || b.macs_per_cycle_interpreter <= 0 ||
      b.macs_per_cycle_compiled <= 0)
    f.fail("clock, supply and MACs per cycle must be positive");
  catalog.boards.push_back(std::move(b));
  return catalog.boards.back().id;
}

std::string read_radio(YamlFields& f, Catalog& catalog) {
  Radio r;
  r.id = f.text("id");
  r.name = f.text("name");
  r.tx_ma = f.number("tx_ma");
  r.rx_ma = f.number("rx_ma");
  r.supply_v = f.number("supply_v");
  r.wake_mj = f.number("wake_mj");
  r.bitrate_bps = f.number("bitrate_bps");
  r.overhead_bytes = f.number("overhead_bytes");
  r.payload_limit_bytes = f.number("payload_limit_bytes");
  r.round_trip_ms = f.number("round_trip_ms");
  r.connected_round_trip_ms = f.number_or("connected_round_trip_ms", r.round_trip_ms);
  r.duty_cycle = f.number("duty_cycle");
  r.module_sleep_ua = f.number("module_sleep_ua");
  r.module_price_usd = f.number("module_price_usd");
  const std::string reaches = f.text("reaches");
  if (reaches != "lan" && reaches != "internet") f.fail("'reaches' must be lan or internet");
  r.cellular = reaches == "internet";
  if (YAML::Node rate = f.child("data_rate"); rate.IsDefined()) {
    YamlFields dr(rate, f.where() + " data_rate");
    LoraDataRate lora;
    lora.spreading_factor = static_cast<int>(dr.number("spreading_factor"));
    lora.bandwidth_khz = dr.number("bandwidth_khz");
    lora.coding_rate = static_cast<int>(dr.number("coding_rate"));
    if (std::string error = dr.finish(); !error.empty()) f.fail(error);
    if (lora.spreading_factor < 6 || lora.spreading_factor > 12 || lora.coding_rate < 1 ||
        lora.coding_rate > 4 || lora.bandwidth_khz <= 0)
      f.fail("data_rate out of range (SF 6-12, CR 1-4)");
    r.lora = lora;
  }
  if (!r.lora && r.bitrate_bps <= 0) f.fail("bitrate_bps must be positive without a LoRa data_rate");
  if (r.duty_cycle <= 0 || r.duty_cycle > 1) f.fail("duty_cycle must be in (0, 1]");
  r.sources = read_sources(f);
  std::vector<std::string> figures = {"tx_ma", "wake_mj", "round_trip_ms", "module_sleep_ua",
                                      "module_price_usd"};
  if (r.lora) figures.push_back("data_rate");
  if (r.connected_round_trip_ms != r.round_trip_ms) figures.push_back("connected_round_trip_ms");
  require_cited(f, r.sources, figures);
  catalog.radios.push_back(std::move(r));
  return catalog.radios.back().id;
}

std::string read_battery(YamlFields& f, Catalog& catalog) {
  Battery b;
  b.id = f.text("id");
  b.name = f.text("name");
  b.capacity_mah = f.number("capacity_mah");
  b.voltage_v = f.number("voltage_v");
  b.pulse_limit_ma = f.number("pulse_limit_ma");
  b.self_discharge_per_year = f.number("self_discharge_per_year");
  b.usable_fraction = f.number("usable_fraction");
  b.sources = read_sources(f);
  require_cited(f, b.sources,
                {"capacity_mah", "voltage_v", "pulse_limit_ma", "self_discharge_per_year",
                 "usable_fraction"});
  if (b.capacity_mah <= 0 || b.voltage_v <= 0 || b.usable_fraction <= 0 || b.usable_fraction > 1)
    f.fail("capacity and voltage must be positive, usable_fraction in (0, 1]");
  catalog.batteries.push_back(std::move(b));
  return catalog.batteries.back().id;
}

std::string read_gateway(YamlFields& f, Catalog& catalog) {
  Gateway g;
  g.id = f.text("id");
  g.name = f.text("name");
  g.throughput_scale = f.number("throughput_scale");
  g.power_w = f.number("power_w");
  g.price_usd = f.number("price_usd");
  g.sources = read_sources(f);
  require_cited(f, g.sources, {"throughput_scale", "power_w", "price_usd"});
  if (g.throughput_scale <= 0) f.fail("throughput_scale must be positive");
  catalog.gateways.push_back(std::move(g));
  return catalog.gateways.back().id;
}

Status read_cloud(const std::filesystem::path& file, Cloud& cloud) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file.string());
  } catch (const YAML::Exception& e) {
    return invalid_argument(file.string() + ": " + e.what());
  }
  YamlFields f(root, file.filename().string());
  cloud.serverless_usd_per_million_requests = f.number("serverless_usd_per_million_requests");
  cloud.serverless_usd_per_gb_second = f.number("serverless_usd_per_gb_second");
  cloud.serverless_memory_gb = f.number("serverless_memory_gb");
  cloud.iot_messaging_usd_per_million = f.number("iot_messaging_usd_per_million");
  cloud.internet_round_trip_ms = f.number("internet_round_trip_ms");
  cloud.throughput_scale = f.number("throughput_scale");
  cloud.electricity_usd_per_kwh = f.number("electricity_usd_per_kwh");
  cloud.sources = read_sources(f);
  require_cited(f, cloud.sources,
                {"serverless_usd_per_million_requests", "serverless_usd_per_gb_second",
                 "serverless_memory_gb", "iot_messaging_usd_per_million",
                 "internet_round_trip_ms", "throughput_scale", "electricity_usd_per_kwh"});
  if (std::string error = f.finish(); !error.empty())
    return invalid_argument(file.string() + ": " + error);
  return Status::ok();
}

}  // namespace

const Board* Catalog::board(const std::string& id) const { return find_by_id(boards, id); }
const Radio* Catalog::radio(const std::string& id) const { return find_by_id(radios, id); }
const Battery* Catalog::battery(const std::string& id) const {
  return find_by_id(batteries, id);
}
const Gateway* Catalog::gateway(const std::string& id) const {
  return find_by_id(gateways, id);
}

Expected<Catalog> load_catalog(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir))
    return io_error("catalog folder " + dir.string() +
                    " not found; pass --catalog DIR or set TIERML_DATA");
  Catalog catalog;
  const std::pair<const char*, std::function<std::string(YamlFields&)>> lists[] = {
      {"boards.yaml", [&](YamlFields& f) { return read_board(f, catalog); }},
      {"radios.yaml", [&](YamlFields& f) { return read_radio(f, catalog); }},
      {"batteries.yaml", [&](YamlFields& f) { return read_battery(f, catalog); }},
      {"gateways.yaml", [&](YamlFields& f) { return read_gateway(f, catalog); }},
  };
  for (const auto& [name, reader] : lists) {
    if (Status status = read_list(dir / name, reader); !status.is_ok()) return status;
  }
  if (Status status = read_cloud(dir / "cloud.yaml", catalog.cloud); !status.is_ok())
    return status;
  for (const auto& board : catalog.boards) {
    for (const auto& radio : board.radios) {
      if (!catalog.radio(radio))
        return invalid_argument("boards.yaml: " + board.id + " lists unknown radio '" + radio + "'");
    }
  }
  return catalog;
}

std::filesystem::path default_catalog_dir() {
  if (const char* env = std::getenv("TIERML_DATA"); env && *env) return env;
  return TIERML_DATA_DIR;
}

}  // namespace tierml::advise
