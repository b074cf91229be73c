// Evaluates one placement against every criterion of the decision matrix.
#include <cmath>
#include <fmt/format.h>

#include "advise/advisor.h"
#include "advise/footprint.h"

namespace tierml::advise {
namespace {

// Beyond these many model releases a year the update path stops being
// practical: a compiled model is a firmware release (build, re-qualify,
// full-image OTA); an interpreted model is a blob push.
constexpr double kMaxCompiledUpdatesPerYear = 12;
constexpr double kMaxBlobUpdatesPerYear = 52;
// Share of the device's daily energy that model updates may take.
constexpr double kMaxOtaEnergyShare = 0.25;
// An update that needs more than a day of air time cannot be pushed.
constexpr double kMaxOtaAirDays = 1.0;
// IoT messaging bills per started 5 KB.
constexpr double kMessageBillingBytes = 5 * 1024;
constexpr double kGatewayAmortisationMonths = 36;

bool is_tinyml(Placement p) {
  return p == Placement::kTinymlInterpreter || p == Placement::kTinymlCompiled;
}

// Where a placement runs its full model and whether it can be reached.
struct Context {
  const Scenario& s;
  const Catalog& catalog;
  const Board& board;
  const Radio& radio;
  const Radio* external_radio;  // module beside the MCU, or null
  const Battery* battery;
  const Gateway& gateway;
};

double nan() { return std::nan(""); }

Criterion make(std::string name, bool pass, double value, double limit, std::string unit,
               std::string why) {
  return Criterion{std::move(name), pass, value, limit, std::move(unit), std::move(why)};
}

// Confirmation for hybrid runs at the edge when a gateway is on site.
bool hybrid_uses_edge(const Scenario& s) { return s.edge_gateway; }

bool remote_reachable(const Context& c, bool at_edge, std::string& why) {
  const Scenario& s = c.s;
  if (at_edge) {
    if (!s.edge_gateway) {
      why = "no edge gateway on the site";
      return false;
    }
    if (c.radio.cellular && s.connectivity != Connectivity::kAlways) {
      why = fmt::format("{} reaches the gateway only through the internet, which is {}",
                        c.radio.id, connectivity_name(s.connectivity));
      return false;
    }
    if (s.connectivity == Connectivity::kOffline) {
      why = "the device has no link at all (offline)";
      return false;
    }
    why = s.connectivity == Connectivity::kIntermittent
              ? "the site gateway stays reachable on the LAN when the internet drops"
              : "gateway on the site's LAN";
    return true;
  }
  if (s.connectivity != Connectivity::kAlways) {
    why = fmt::format("the cloud is unreachable while the link is {}",
                      connectivity_name(s.connectivity));
    return false;
  }
  why = "always-on link to the cloud";
  return true;
}

double remote_latency_ms(const Context& c, bool at_edge, double bytes, double macs) {
  double ms = uplink_latency_ms(c.radio, bytes) + c.radio.round_trip_ms;
  const bool through_internet = !at_edge || c.radio.cellular;
  if (through_internet) ms += c.catalog.cloud.internet_round_trip_ms;
  const double scale = at_edge ? c.gateway.throughput_scale : c.catalog.cloud.throughput_scale;
  return ms + host_inference_ms(macs, scale);
}

// How a device inference's time was found: measured instructions or
// calibrated MACs per cycle.
std::string device_speed_why(const Board& board, Engine engine, const ModelFigures& model) {
  if (const MeasuredRun* run = measured_run(model, engine))
    return fmt::format("{:.3g} M instructions measured on {} ({}) at {:.2f} cycles/instruction "
                       "on a {:.0f} MHz {}",
                       run->instructions / 1e6, run->target, run->source,
                       cycles_per_instruction(board), board.clock_mhz, board.core);
  return fmt::format("{:.3g} M MACs at {:.2f} MACs/cycle on a {:.0f} MHz {}", model.macs / 1e6,
                     macs_per_cycle(board, engine), board.clock_mhz, board.core);
}

double billed_messages(double bytes) {
  return std::max(1.0, std::ceil(bytes / kMessageBillingBytes));
}

}  // namespace

const char* placement_id(Placement placement) {
  switch (placement) {
    case Placement::kTinymlInterpreter: return "tinyml-interpreter";
    case Placement::kTinymlCompiled: return "tinyml-compiled";
    case Placement::kEdge: return "edge";
    case Placement::kCloud: return "cloud";
    case Placement::kHybrid: return "hybrid";
  }
  return "?";
}

int Option::failures() const {
  int n = 0;
  for (const auto& criterion : criteria) n += criterion.pass ? 0 : 1;
  return n;
}

Status check_scenario(const Scenario& s, const Catalog& catalog) {
  if (!catalog.board(s.device))
    return invalid_argument("unknown device '" + s.device + "'; see data/boards.yaml for ids");
  if (!catalog.radio(s.radio))
    return invalid_argument("unknown radio '" + s.radio + "'; see data/radios.yaml for ids");
  if (!s.mains_power && !catalog.battery(s.battery))
    return invalid_argument("unknown battery '" + s.battery +
                            "'; see data/batteries.yaml for ids");
  if (!catalog.gateway(s.gateway))
    return invalid_argument("unknown gateway '" + s.gateway +
                            "'; see data/gateways.yaml for ids");
  if (!s.tiny && !s.full)
    return invalid_argument("scenario '" + s.name + "' has no model figures (resolve models first)");
  return Status::ok();
}

Option evaluate(const Scenario& s, const Catalog& catalog, Placement placement) {
  const Board& board = *catalog.board(s.device);
  // A mains-powered node keeps its radio associated: no wake-up per message
  // and the connected round trip.
  Radio radio = *catalog.radio(s.radio);
  if (s.mains_power) {
    radio.wake_mj = 0;
    radio.round_trip_ms = radio.connected_round_trip_ms;
  }
  bool on_chip = false;
  for (const auto& id : board.radios) on_chip |= id == radio.id;
  const Context c{s, catalog, board, radio, on_chip ? nullptr : &radio,
                  s.mains_power ? nullptr : catalog.battery(s.battery),
                  *catalog.gateway(s.gateway)};

  Option option{placement, true, {}, {}};
  Figures& fig = option.figures;
  const ModelFigures& task = s.task_model();
  const ModelFigures& trigger = s.trigger_model();
  const bool device_model = is_tinyml(placement) || placement == Placement::kHybrid;
  const Engine engine =
      placement == Placement::kTinymlCompiled ? Engine::kCompiled : Engine::kInterpreter;
  const ModelFigures& on_device = is_tinyml(placement) ? task : trigger;
  const bool at_edge = placement == Placement::kEdge ||
                       (placement == Placement::kHybrid && hybrid_uses_edge(s));
  const bool uses_link = s.connectivity != Connectivity::kOffline;

  // What crosses the radio each day, per device.
  double messages_per_day = 0, bytes_per_message = 0;
  if (is_tinyml(placement)) {
    if (uses_link) { messages_per_day = s.events_per_day; bytes_per_message = s.result_bytes; }
  } else if (placement == Placement::kHybrid) {
    messages_per_day = s.events_per_day; bytes_per_message = s.window_bytes;
  } else {
    messages_per_day = s.inferences_per_day; bytes_per_message = s.window_bytes;
  }
  fig.bytes_per_day = messages_per_day * bytes_per_message;

  // --- latency
  std::string reach_why;
  const bool reachable = is_tinyml(placement) || remote_reachable(c, at_edge, reach_why);
  if (is_tinyml(placement)) {
    fig.latency_ms = device_inference_ms(board, engine, task);
  } else {
    fig.latency_ms = remote_latency_ms(c, at_edge, s.window_bytes, task.macs);
    if (placement == Placement::kHybrid)
      fig.latency_ms += device_inference_ms(board, Engine::kInterpreter, trigger);
  }
  {
    const bool pass = fig.latency_ms <= s.latency_ms;
    std::string why;
    if (is_tinyml(placement))
      why = device_speed_why(board, engine, task) + ", no network";
    else
      why = fmt::format("{} uplink of {:.0f} B + round trip{} + {} compute", radio.id,
                        s.window_bytes, (!at_edge || radio.cellular) ? " + internet" : "",
                        at_edge ? c.gateway.id : "cloud");
    option.criteria.push_back(make("latency", pass, fig.latency_ms, s.latency_ms, "ms", why));
  }

  // --- offline operation
  if (is_tinyml(placement)) {
    option.criteria.push_back(make("offline", true, 0, nan(), "",
                                   "decides on the device; the link only carries results"));
  } else {
    option.criteria.push_back(make("offline", reachable, 0, nan(), "", reach_why));
  }

  // --- footprint on the device
  Footprint footprint;
  if (device_model) {
    footprint = device_footprint(s, on_device, engine);
    fig.flash_kib = footprint.flash_kib;
    fig.ram_kib = footprint.ram_kib;
    const double flash_share = footprint.flash_kib / board.flash_kib;
    const double ram_share = footprint.ram_kib / board.sram_kib;
    const std::string what = placement == Placement::kHybrid ? "trigger model" : "model";
    option.criteria.push_back(make(
        "flash", flash_share <= kHeadroom, flash_share, kHeadroom, "fraction",
        fmt::format("{} {:.0f} KiB + runtime + {:.0f} KiB firmware = {:.0f} of {:.0f} KiB", what,
                    on_device.weight_bytes / 1024.0, s.firmware_flash_kib, footprint.flash_kib,
                    board.flash_kib)));
    option.criteria.push_back(make(
        "ram", ram_share <= kHeadroom, ram_share, kHeadroom, "fraction",
        fmt::format("arena {:.0f} KiB + runtime + {:.0f} KiB firmware = {:.0f} of {:.0f} KiB",
                    on_device.arena_bytes / 1024.0, s.firmware_ram_kib, footprint.ram_kib,
                    board.sram_kib)));
  }
  {
    const bool limited = is_tinyml(placement) && s.complexity == Complexity::kRich;
    option.criteria.push_back(make(
        "complexity", !limited, 0, nan(), "",
        limited ? "rich tasks (high-resolution vision, language, fusion) exceed what MCUs run well"
                : fmt::format("{} task on {}", complexity_name(s.complexity),
                              is_tinyml(placement) ? "the device"
                                                   : (at_edge ? "the edge" : "the cloud"))));
  }

  // --- energy per day on the device
  const double per_message_j = messages_per_day > 0 ? send_energy_j(radio, bytes_per_message) : 0;
  double energy = sleep_energy_per_day_j(board, c.external_radio) +
                  s.sensor_power_uw * 1e-6 * kSecondsPerDay + messages_per_day * per_message_j;
  if (device_model)
    energy += s.inferences_per_day *
              device_inference_energy_j(board, engine, on_device);
  double ota_j_per_day = 0;
  if (device_model && s.model_updates_per_year > 0 && uses_link)
    ota_j_per_day = s.model_updates_per_year / 365.0 * send_energy_j(radio, footprint.ota_bytes);
  energy += ota_j_per_day;
  fig.energy_per_day_j = energy;

  // --- power
  if (c.battery) {
    fig.battery_life_days = battery_life_days(*c.battery, energy);
    const double peak_ma = (fig.bytes_per_day > 0 || ota_j_per_day > 0 ? radio.tx_ma : 0) +
                           board.run_ua_per_mhz * board.clock_mhz / 1000.0;
    if (peak_ma > c.battery->pulse_limit_ma) {
      option.criteria.push_back(make(
          "power", false, peak_ma, c.battery->pulse_limit_ma, "mA",
          fmt::format("{} draws {:.0f} mA peaks; a {} delivers about {:.0f} mA", radio.id, peak_ma,
                      c.battery->id, c.battery->pulse_limit_ma)));
    } else {
      option.criteria.push_back(make(
          "power", fig.battery_life_days >= s.life_days, fig.battery_life_days, s.life_days, "days",
          fmt::format("{:.3g} J/day ({:.0f} % radio, {:.0f} % model updates) from a {} "
                      "({:.0f} J usable)",
                      energy, energy > 0 ? 100.0 * messages_per_day * per_message_j / energy : 0.0,
                      energy > 0 ? 100.0 * ota_j_per_day / energy : 0.0, c.battery->id,
                      battery_energy_j(*c.battery))));
    }
  } else {
    fig.battery_life_days = INFINITY;
    option.criteria.push_back(make("power", true, energy, nan(), "J/day", "mains powered"));
  }

  // --- privacy
  {
    const bool raw_leaves = !is_tinyml(placement);
    const bool pass = s.raw_data_may_leave_device || !raw_leaves;
    std::string why = raw_leaves ? (placement == Placement::kHybrid
                                        ? "uploads the raw window of every event"
                                        : "every raw window leaves the device")
                                 : "raw data stays on the device; only results are sent";
    option.criteria.push_back(make("privacy", pass, 0, nan(), "", why));
  }

  // --- model updates
  if (!device_model) {
    option.criteria.push_back(make("updates", true, s.model_updates_per_year, nan(), "per year",
                                   "models change centrally, nothing is sent to devices"));
  } else {
    const double max_updates = engine == Engine::kCompiled ? kMaxCompiledUpdatesPerYear
                                                           : kMaxBlobUpdatesPerYear;
    const double ota_air_days = s.model_updates_per_year > 0
                                    ? uplink_latency_ms(radio, footprint.ota_bytes) / 1000.0 /
                                          kSecondsPerDay
                                    : 0;
    const double ota_share = energy > 0 ? ota_j_per_day / energy : 0;
    std::string why;
    bool pass = true;
    if (s.model_updates_per_year > 0 && !uses_link) {
      pass = false;
      why = "an offline device cannot receive model updates over the air";
    } else if (s.model_updates_per_year > max_updates) {
      pass = false;
      why = engine == Engine::kCompiled
                ? fmt::format("each update is a firmware release; over {:.0f} a year is impractical",
                              max_updates)
                : fmt::format("over {:.0f} blob pushes a year", max_updates);
    } else if (ota_air_days > kMaxOtaAirDays) {
      pass = false;
      why = fmt::format("one {:.0f} KiB update needs {:.2f} days on {}", footprint.ota_bytes / 1024,
                        ota_air_days, radio.id);
    } else if (!s.mains_power && ota_share > kMaxOtaEnergyShare) {
      pass = false;
      why = fmt::format("updates take {:.0f} % of the device's energy", 100 * ota_share);
    } else {
      why = fmt::format("{:.0f} KiB per update ({}), {:.1f} % of daily energy",
                        footprint.ota_bytes / 1024,
                        engine == Engine::kCompiled ? "full firmware image" : "model blob only",
                        100 * ota_share);
    }
    option.criteria.push_back(
        make("updates", pass, s.model_updates_per_year, max_updates, "per year", why));
  }

  // --- bandwidth
  {
    const double messages = messages_per_day * messages_for(radio, bytes_per_message);
    const double air_s =
        messages_per_day > 0
            ? messages * air_time_s(radio, bytes_per_message / messages_for(radio, bytes_per_message))
            : 0;
    const double budget_s = daily_air_time_budget_s(radio);
    const bool pass = air_s <= budget_s;
    option.criteria.push_back(make(
        "bandwidth", pass, fig.bytes_per_day * kDaysPerMonth, nan(), "bytes/month/device",
        pass ? fmt::format("{:.0f} s/day on air of {:.0f} s allowed on {}", air_s, budget_s, radio.id)
             : fmt::format("needs {:.0f} s/day on air; {} allows {:.0f} s ({:.0f} % duty cycle)",
                           air_s, radio.id, budget_s, radio.duty_cycle * 100)));
  }

  // --- money. What reaches the cloud: windows when the cloud decides, one
  // result per event otherwise (the site gateway keeps LAN traffic local).
  const Cloud& cloud = catalog.cloud;
  const bool cloud_decides = placement == Placement::kCloud ||
                             (placement == Placement::kHybrid && !at_edge);
  const double decisions_per_day =
      placement == Placement::kCloud ? s.inferences_per_day : s.events_per_day;
  const double fleet_messages =
      s.fleet_size * decisions_per_day * kDaysPerMonth *
      (cloud_decides ? billed_messages(s.window_bytes) : 1.0);
  double cloud_usd = uses_link ? messaging_usd_per_month(cloud, fleet_messages) : 0;
  if (cloud_decides)
    cloud_usd += serverless_usd_per_month(cloud, s.fleet_size * decisions_per_day * kDaysPerMonth,
                                          host_inference_ms(task.macs, cloud.throughput_scale));
  fig.cloud_usd_per_month = cloud_usd;
  const bool needs_gateway = at_edge && (placement == Placement::kEdge || placement == Placement::kHybrid);
  const double gateways = needs_gateway ? std::ceil(s.fleet_size / s.devices_per_gateway) : 0;
  fig.site_usd_per_month =
      gateways * (c.gateway.price_usd / kGatewayAmortisationMonths +
                  c.gateway.power_w / 1000.0 * 24 * kDaysPerMonth * cloud.electricity_usd_per_kwh);
  fig.unit_cost_usd = board.unit_price_usd + (c.external_radio ? radio.module_price_usd : 0) +
                      (needs_gateway ? c.gateway.price_usd / s.devices_per_gateway : 0);
  option.criteria.push_back(make(
      "unit_cost", true, fig.unit_cost_usd, nan(), "USD",
      fmt::format("{}{}{}", board.id, c.external_radio ? " + " + radio.id + " module" : "",
                  needs_gateway ? fmt::format(" + 1/{:.0f} of a {}", s.devices_per_gateway,
                                              c.gateway.id)
                                : "")));
  {
    const double budget = s.cloud_budget_usd_per_month.value_or(nan());
    const bool pass = !s.cloud_budget_usd_per_month || cloud_usd <= budget;
    option.criteria.push_back(make(
        "cloud_bill", pass, cloud_usd, budget, "USD/month",
        fmt::format("{:.3g} M messages/month{} for {:.0f} devices",
                    uses_link ? fleet_messages / 1e6 : 0.0,
                    cloud_decides ? " + serverless inference" : "", s.fleet_size)));
  }

  // --- attack surface (judgement, never a failure by itself)
  const char* surface = is_tinyml(placement)
                            ? "no inbound service on the device; patching needs OTA"
                        : at_edge ? "one LAN endpoint per site to secure and patch"
                                  : "internet-facing endpoint; central patching";
  option.criteria.push_back(make("attack_surface", true, 0, nan(), "", surface));

  option.pass = option.failures() == 0;
  return option;
}

}  // namespace tierml::advise
