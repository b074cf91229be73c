#include "advise/advisor.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "advise/cost_model.h"
#include "advise/footprint.h"

namespace tierml::advise {
namespace {

// What a placement costs, for ranking among equals: device energy when on
// battery, otherwise money per device and month (hardware over 3 years).
double ranking_cost(const Scenario& s, const Option& o) {
  if (!s.mains_power) return o.figures.energy_per_day_j;
  return (o.figures.cloud_usd_per_month + o.figures.site_usd_per_month) / s.fleet_size +
         o.figures.unit_cost_usd / 36.0;
}

const Criterion* first_failure(const Option& o) {
  for (const auto& c : o.criteria)
    if (!c.pass) return &c;
  return nullptr;
}

std::string reason_for(const Scenario& s, const Option& best, const std::vector<Option>& all) {
  if (!best.pass) {
    const Criterion* failed = first_failure(best);
    return fmt::format("no placement meets every requirement; {} fails the fewest ({}: {})",
                       placement_id(best.placement), failed->name, failed->why);
  }
  int passing = 0;
  for (const auto& o : all) passing += o.pass ? 1 : 0;
  const std::string basis =
      s.mains_power ? fmt::format("lowest cost (${:.2f} per device-month incl. hardware)",
                                  ranking_cost(s, best))
                    : fmt::format("longest battery life ({:.0f} days, {:.3g} J/day)",
                                  best.figures.battery_life_days, best.figures.energy_per_day_j);
  return fmt::format("{} of 5 placements meet every requirement; {} has the {}", passing,
                     placement_id(best.placement), basis);
}

// A suggestion for one option that fails a single criterion.
std::string flip_suggestion(const Scenario& s, const Catalog& catalog, const Option& o) {
  const Criterion& c = *first_failure(o);
  const char* id = placement_id(o.placement);
  if (c.name == "power" && c.unit == "days" && c.value > 0) {
    const double factor = s.life_days / c.value;
    return fmt::format("a {:.1f}x larger battery (or {:.1f}x less energy per day) makes {} pass",
                       factor, factor, id);
  }
  if (c.name == "power")
    return fmt::format("a battery that sustains {:.0f} mA pulses makes {} pass", c.value, id);
  if (c.name == "latency")
    return fmt::format("a latency budget of {:.0f} ms makes {} pass", std::ceil(c.value), id);
  if (c.name == "flash" || c.name == "ram") {
    const bool is_ram = c.name == "ram";
    const ModelFigures& model = o.placement == Placement::kHybrid ? s.trigger_model() : s.task_model();
    const Engine engine = o.placement == Placement::kTinymlCompiled ? Engine::kCompiled
                                                                     : Engine::kInterpreter;
    const Footprint need = device_footprint(s, model, engine);
    const double need_kib = (is_ram ? need.ram_kib : need.flash_kib) / kHeadroom;
    for (const auto& board : catalog.boards) {
      if (board.sram_kib >= need.ram_kib / kHeadroom && board.flash_kib >= need.flash_kib / kHeadroom)
        return fmt::format("a part with {:.0f} KiB {} or more (e.g. {}) makes {} fit", need_kib,
                           is_ram ? "SRAM" : "flash", board.id, id);
    }
    return fmt::format("{} needs a part with {:.0f} KiB {}; none in the catalog has it", id,
                       need_kib, is_ram ? "SRAM" : "flash");
  }
  if (c.name == "offline")
    return o.placement == Placement::kCloud ? "an always-on link makes cloud pass"
                                            : fmt::format("an edge gateway on the site's LAN makes {} pass", id);
  if (c.name == "privacy")
    return o.placement == Placement::kHybrid
               ? "sending features instead of raw windows (or consent to upload) makes hybrid pass"
               : fmt::format("permission for raw data to leave the device makes {} pass", id);
  if (c.name == "updates")
    return fmt::format("{} passes with at most {:.0f} model updates a year", id, c.limit);
  if (c.name == "bandwidth")
    return fmt::format("a radio with more air time than {} (or smaller windows) makes {} pass",
                       s.radio, id);
  if (c.name == "cloud_bill")
    return fmt::format("a cloud budget of ${:.0f}/month makes {} pass", std::ceil(c.value), id);
  if (c.name == "complexity")
    return fmt::format("a model distilled to moderate complexity makes {} a candidate", id);
  return fmt::format("{} fails only {}", id, c.name);
}

const Option* find(const std::vector<Option>& options, Placement p) {
  for (const auto& o : options)
    if (o.placement == p) return &o;
  return nullptr;
}

// Energy is linear in the event rate for hybrid; solve where it meets edge.
void event_rate_crossover(const Scenario& s, const Catalog& catalog,
                          const std::vector<Option>& options, std::vector<std::string>& out) {
  const Option* hybrid = find(options, Placement::kHybrid);
  const Option* edge = find(options, Placement::kEdge);
  if (!hybrid || !edge || s.window_bytes <= 0) return;
  Scenario probe = s;
  probe.events_per_day = 0;
  const double base = evaluate(probe, catalog, Placement::kHybrid).figures.energy_per_day_j;
  const double per_event = send_energy_j(*catalog.radio(s.radio), s.window_bytes);
  const double crossover = (edge->figures.energy_per_day_j - base) / per_event;
  if (crossover <= 0)
    out.push_back("hybrid uses more device energy than edge at any event rate (running and "
                  "updating the trigger model costs more than streaming every window)");
  else if (crossover < s.inferences_per_day)
    out.push_back(fmt::format("below {:.0f} events/day hybrid uses less device energy than edge "
                              "(now {:.0f}/day)",
                              std::floor(crossover), s.events_per_day));
}

// Which device figures `tierml profile` measured (advise --measured) and
// which are estimates.
std::vector<std::string> device_assumptions(const Scenario& s) {
  std::vector<std::string> out;
  bool all_measured = true;
  auto note = [&](const ModelFigures& model, Engine engine, const char* engine_name) {
    const MeasuredRun* run = measured_run(model, engine);
    all_measured = all_measured && run;
    if (run)
      out.push_back(fmt::format(
          "{} {}: flash, RAM and instructions per inference measured by `tierml profile` on {} "
          "({}); cycles per instruction from the board's calibration (data/boards.yaml)",
          model.origin, engine_name, run->target, run->source));
  };
  note(s.task_model(), Engine::kInterpreter, "interpreted");
  note(s.task_model(), Engine::kCompiled, "compiled");
  if (s.tiny && s.full) note(s.trigger_model(), Engine::kInterpreter, "interpreted");
  if (!all_measured)
    out.insert(out.end(),
               {"MCU speed from MACs per cycle calibrated on MLPerf Tiny (data/boards.yaml); "
                "worst case may be slower than this average",
                "interpreter runtime 40 KiB flash + 4 KiB RAM, compiled runtime 12 KiB (estimates; "
                "`tierml profile --json` measures them and `advise --measured` uses them)"});
  return out;
}

std::vector<std::string> assumptions_for(const Scenario& s) {
  std::vector<std::string> out = device_assumptions(s);
  out.insert(out.end(), {
      fmt::format("rest of the firmware takes {:.0f} KiB flash and {:.0f} KiB RAM (set "
                  "firmware.flash_kib / firmware.ram_kib)",
                  s.firmware_flash_kib, s.firmware_ram_kib),
      "host engine speed from TFLM+CMSIS-NN on the benchmark machine (2.5 G MACs/s), scaled "
      "per gateway",
      fmt::format("a decision result is {:.0f} bytes; hybrid uploads the raw window per event",
                  s.result_bytes),
  });
  if (s.sensor_power_uw == 0)
    out.push_back("sensor power not modelled (set sensor.power_uw)");
  if (s.full && s.full->origin == "scenario figures")
    out.push_back("one byte per parameter (int8 weights)");
  return out;
}

}  // namespace

Expected<Advice> advise(const Scenario& s, const Catalog& catalog) {
  if (Status status = check_scenario(s, catalog); !status.is_ok()) return status;
  Advice advice;
  advice.scenario = s.name;
  for (Placement p : kAllPlacements) advice.options.push_back(evaluate(s, catalog, p));
  std::stable_sort(advice.options.begin(), advice.options.end(),
                   [&](const Option& a, const Option& b) {
                     if (a.failures() != b.failures()) return a.failures() < b.failures();
                     const double ca = ranking_cost(s, a), cb = ranking_cost(s, b);
                     if (ca != cb) return ca < cb;
                     return a.figures.latency_ms < b.figures.latency_ms;
                   });
  const Option& best = advice.options.front();
  advice.recommendation = placement_id(best.placement);
  advice.summary = reason_for(s, best, advice.options);
  for (const auto& o : advice.options)
    if (o.failures() == 1) advice.what_would_change.push_back(flip_suggestion(s, catalog, o));
  event_rate_crossover(s, catalog, advice.options, advice.what_would_change);
  advice.assumptions = assumptions_for(s);
  return advice;
}

}  // namespace tierml::advise
