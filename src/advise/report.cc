#include "advise/report.h"

#include <fmt/format.h>

#include <cmath>

namespace tierml::advise {
namespace {

nlohmann::json number_or_null(double x) {
  if (std::isnan(x)) return nullptr;
  if (std::isinf(x)) return nullptr;
  return x;
}

std::string format_value(const Criterion& c) {
  if (c.unit.empty()) return "";
  if (std::isinf(c.value)) return "unlimited";
  if (c.unit == "fraction") return fmt::format("{:.0f} %", c.value * 100);
  return fmt::format("{:.4g} {}", c.value, c.unit);
}

}  // namespace

nlohmann::json advice_to_json(const Advice& advice) {
  nlohmann::json out;
  out["scenario"] = advice.scenario;
  out["recommendation"] = advice.recommendation;
  out["summary"] = advice.summary;
  out["options"] = nlohmann::json::array();
  for (const auto& option : advice.options) {
    nlohmann::json o;
    o["placement"] = placement_id(option.placement);
    o["verdict"] = option.pass ? "pass" : "fail";
    o["criteria"] = nlohmann::json::array();
    for (const auto& c : option.criteria) {
      o["criteria"].push_back({{"name", c.name},
                               {"pass", c.pass},
                               {"value", number_or_null(c.value)},
                               {"limit", number_or_null(c.limit)},
                               {"unit", c.unit},
                               {"why", c.why}});
    }
    const Figures& f = option.figures;
    o["figures"] = {{"latency_ms", f.latency_ms},
                    {"energy_per_day_j", f.energy_per_day_j},
                    {"battery_life_days", number_or_null(f.battery_life_days)},
                    {"flash_kib", f.flash_kib},
                    {"ram_kib", f.ram_kib},
                    {"bytes_per_day", f.bytes_per_day},
                    {"cloud_usd_per_month", f.cloud_usd_per_month},
                    {"site_usd_per_month", f.site_usd_per_month},
                    {"unit_cost_usd", f.unit_cost_usd}};
    out["options"].push_back(std::move(o));
  }
  out["what_would_change"] = advice.what_would_change;
  out["assumptions"] = advice.assumptions;
  return out;
}

std::string advice_to_text(const Advice& advice) {
  std::string out = fmt::format("scenario: {}\nrecommendation: {}\n  {}\n", advice.scenario,
                                advice.recommendation, advice.summary);
  int rank = 1;
  for (const auto& option : advice.options) {
    out += fmt::format("\n{}. {:<19} {}\n", rank++, placement_id(option.placement),
                       option.pass ? "PASS" : fmt::format("FAIL ({})", option.failures()));
    for (const auto& c : option.criteria) {
      out += fmt::format("   {} {:<15} {:<16} {}\n", c.pass ? "ok  " : "FAIL", c.name,
                         format_value(c), c.why);
    }
  }
  if (!advice.what_would_change.empty()) {
    out += "\nwhat would change it:\n";
    for (const auto& line : advice.what_would_change) out += "  - " + line + "\n";
  }
  out += "\nassumptions:\n";
  for (const auto& line : advice.assumptions) out += "  - " + line + "\n";
  return out;
}

}  // namespace tierml::advise
