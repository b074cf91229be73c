// The HTML report: one self-contained page (inline CSS and SVG).
#include <fmt/format.h>

#include <cmath>

#include "advise/report.h"
#include "advise/svg_chart.h"

namespace tierml::advise {
namespace {

std::vector<double> log_steps(double from, double to, int per_decade) {
  std::vector<double> steps;
  for (double e = std::log10(from); e <= std::log10(to) + 1e-9; e += 1.0 / per_decade)
    steps.push_back(std::pow(10, e));
  return steps;
}

std::string battery_chart(const Scenario& s, const Catalog& catalog) {
  const double event_share = s.inferences_per_day > 0 ? s.events_per_day / s.inferences_per_day : 0;
  std::vector<Series> series;
  for (Placement p : kAllPlacements) {
    Series line{placement_id(p), {}};
    for (double rate : log_steps(1, 1e5, 4)) {
      Scenario probe = s;
      probe.inferences_per_day = rate;
      probe.events_per_day = rate * event_share;
      const Figures f = evaluate(probe, catalog, p).figures;
      line.points.emplace_back(rate, s.mains_power ? f.energy_per_day_j : f.battery_life_days);
    }
    series.push_back(std::move(line));
  }
  if (s.mains_power)
    return line_chart_svg("chart-battery", "Device energy per day against inference rate",
                          "inferences per day", "J per day", series);
  return line_chart_svg("chart-battery", "Battery life against inference rate (" + s.battery + ")",
                        "inferences per day", "battery life (days)", series, s.life_days,
                        fmt::format("required {:.0f} days", s.life_days));
}

std::string fit_chart(const Advice& advice, const Catalog& catalog, const Scenario& s) {
  const Board& board = *catalog.board(s.device);
  std::vector<Bar> bars;
  for (const auto& option : advice.options) {
    if (option.figures.flash_kib <= 0) continue;
    const std::string id = placement_id(option.placement);
    bars.push_back({id + " flash", option.figures.flash_kib / board.flash_kib});
    bars.push_back({id + " RAM", option.figures.ram_kib / board.sram_kib});
  }
  return bar_chart_svg("chart-fit",
                       fmt::format("Flash and RAM on the {} ({:.0f} KiB flash, {:.0f} KiB SRAM)",
                                   board.part, board.flash_kib, board.sram_kib),
                       bars, 0.70);
}

std::string cost_chart(const Scenario& s, const Catalog& catalog) {
  std::vector<Series> series;
  for (Placement p : kAllPlacements) {
    Series line{placement_id(p), {}};
    for (double fleet : log_steps(10, 1e6, 2)) {
      Scenario probe = s;
      probe.fleet_size = fleet;
      const Figures f = evaluate(probe, catalog, p).figures;
      // Hardware over 36 months plus what the fleet costs to run.
      line.points.emplace_back(fleet, f.cloud_usd_per_month + f.site_usd_per_month +
                                          f.unit_cost_usd * fleet / 36.0);
    }
    series.push_back(std::move(line));
  }
  return line_chart_svg("chart-cost", "Monthly cost against fleet size (hardware over 3 years)",
                        "devices", "USD per month", series);
}

const char* kStyle = R"(
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 960px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
td, th { border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
.pass { color: #2e7d32; font-weight: 600; } .fail { color: #c62828; font-weight: 600; }
.recommendation { background: #eef6ee; padding: 0.8em 1em; border-left: 4px solid #2e7d32; }
svg .title { font-weight: 600; font-size: 14px; } svg .tick, svg .legend { font-size: 11px; }
svg .axis { font-size: 12px; } svg .frame { fill: none; stroke: #999; }
svg .grid { stroke: #e3e3e3; } svg .reference { stroke: #c62828; stroke-dasharray: 5 4; }
svg .bar { fill: #1b6ca8; } svg .bar.over { fill: #d1495b; }
)";

// Marks the page once the browser has laid out every chart with a non-empty
// box and drawn elements; the e2e test reads the mark.
const char* kRenderCheck = R"(
<script>
window.addEventListener('load', () => {
  let drawn = 0;
  for (const svg of document.querySelectorAll('svg.chart')) {
    const box = svg.getBBox();
    const marks = svg.querySelectorAll('polyline.series, rect.bar').length;
    if (box.width > 0 && box.height > 0 && marks > 0) drawn++;
  }
  document.body.setAttribute('data-charts-rendered', String(drawn));
});
</script>
)";

}  // namespace

std::string advice_to_html(const Advice& advice, const Scenario& s, const Catalog& catalog) {
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>tierml advise: {0}</title><style>{1}</style></head><body>\n"
      "<h1>Where should “{0}” run?</h1>\n"
      "<p class=\"recommendation\"><strong>Recommendation: {2}</strong> — {3}</p>\n",
      html_escape(advice.scenario), kStyle, html_escape(advice.recommendation), html_escape(advice.summary));
  html += "<h2>Charts</h2>\n";
  html += battery_chart(s, catalog);
  html += fit_chart(advice, catalog, s);
  html += cost_chart(s, catalog);
  html += "<h2>Placements, ranked</h2>\n<table><tr><th>#</th><th>placement</th><th>verdict</th>"
          "<th>criterion</th><th>value</th><th>limit</th><th>why</th></tr>\n";
  int rank = 1;
  for (const auto& option : advice.options) {
    bool first = true;
    for (const auto& c : option.criteria) {
      html += "<tr>";
      if (first) {
        html += fmt::format("<td rowspan=\"{0}\">{1}</td><td rowspan=\"{0}\">{2}</td>"
                            "<td rowspan=\"{0}\" class=\"{3}\">{3}</td>",
                            option.criteria.size(), rank, placement_id(option.placement),
                            option.pass ? "pass" : "fail");
        first = false;
      }
      auto number = [&](double v) {
        if (std::isnan(v)) return std::string("—");
        if (std::isinf(v)) return std::string("∞");
        return c.unit == "fraction" ? fmt::format("{:.0f} %", v * 100)
                                    : fmt::format("{:.4g} {}", v, html_escape(c.unit));
      };
      html += fmt::format("<td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                          c.pass ? "pass" : "fail", html_escape(c.name),
                          c.unit.empty() ? "" : number(c.value),
                          c.unit.empty() ? "" : number(c.limit), html_escape(c.why));
    }
    ++rank;
  }
  html += "</table>\n";
  html += "<h2>What would change the answer</h2>\n<ul>\n";
  for (const auto& line : advice.what_would_change) html += "<li>" + html_escape(line) + "</li>\n";
  html += "</ul>\n<h2>Assumptions</h2>\n<ul>\n";
  for (const auto& line : advice.assumptions) html += "<li>" + html_escape(line) + "</li>\n";
  html += "</ul>\n<p>Figures and their sources: tierml's data/ catalog.</p>\n";
  html += kRenderCheck;
  return html + "</body></html>\n";
}

}  // namespace tierml::advise
