#include "advise/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace tierml::advise {
namespace {

constexpr double kWidth = 640, kHeight = 320;
constexpr double kLeft = 70, kRight = 150, kTop = 30, kBottom = 45;
const char* const kColors[] = {"#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#66468c"};
// Series often coincide (edge and cloud cost the device the same energy):
// dashes keep each one visible where they overlap.
const char* const kDashes[] = {"none", "8 4", "2 4", "12 4 2 4", "4 2"};

std::string tick_label(double value) {
  if (value >= 1e6) return fmt::format("{:g}M", value / 1e6);
  if (value >= 1e3) return fmt::format("{:g}k", value / 1e3);
  return fmt::format("{:g}", value);
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string line_chart_svg(const std::string& id, const std::string& title,
                           const std::string& x_label, const std::string& y_label,
                           const std::vector<Series>& series, double reference_y,
                           const std::string& reference_label) {
  double x_min = INFINITY, x_max = 0, y_min = INFINITY, y_max = 0;
  for (const auto& s : series) {
    for (auto [x, y] : s.points) {
      if (!(x > 0) || !(y > 0) || !std::isfinite(y)) continue;
      x_min = std::min(x_min, x), x_max = std::max(x_max, x);
      y_min = std::min(y_min, y), y_max = std::max(y_max, y);
    }
  }
  if (reference_y > 0) y_min = std::min(y_min, reference_y), y_max = std::max(y_max, reference_y);
  if (!(x_max > 0)) x_min = 1, x_max = 10;
  if (!(y_max > 0)) y_min = 1, y_max = 10;
  const double lx0 = std::floor(std::log10(x_min)), lx1 = std::max(lx0 + 1, std::ceil(std::log10(x_max)));
  const double ly0 = std::floor(std::log10(y_min)), ly1 = std::max(ly0 + 1, std::ceil(std::log10(y_max)));
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  auto px = [&](double x) { return kLeft + (std::log10(x) - lx0) / (lx1 - lx0) * plot_w; };
  auto py = [&](double y) { return kTop + plot_h - (std::log10(y) - ly0) / (ly1 - ly0) * plot_h; };

  std::string svg = fmt::format(
      "<svg id=\"{}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" "
      "height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">\n"
      "<text x=\"{}\" y=\"18\" class=\"title\">{}</text>\n",
      id, kWidth, kHeight, kWidth, kHeight, html_escape(title), kLeft, html_escape(title));
  svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"frame\"/>\n",
                     kLeft, kTop, plot_w, plot_h);
  for (double e = lx0; e <= lx1; ++e) {
    const double x = px(std::pow(10, e));
    svg += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" class=\"grid\"/>"
                       "<text x=\"{0:.1f}\" y=\"{3}\" class=\"tick\" text-anchor=\"middle\">{4}</text>\n",
                       x, kTop, kTop + plot_h, kTop + plot_h + 15, tick_label(std::pow(10, e)));
  }
  for (double e = ly0; e <= ly1; ++e) {
    const double y = py(std::pow(10, e));
    svg += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" class=\"grid\"/>"
                       "<text x=\"{3}\" y=\"{4:.1f}\" class=\"tick\" text-anchor=\"end\">{5}</text>\n",
                       kLeft, kLeft + plot_w, y, kLeft - 6, y + 4, tick_label(std::pow(10, e)));
  }
  svg += fmt::format("<text x=\"{}\" y=\"{}\" class=\"axis\" text-anchor=\"middle\">{}</text>\n",
                     kLeft + plot_w / 2, kHeight - 8, html_escape(x_label));
  svg += fmt::format("<text x=\"14\" y=\"{0}\" class=\"axis\" text-anchor=\"middle\" "
                     "transform=\"rotate(-90 14 {0})\">{1}</text>\n",
                     kTop + plot_h / 2, html_escape(y_label));
  if (reference_y > 0) {
    svg += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" class=\"reference\"/>"
                       "<text x=\"{3}\" y=\"{4:.1f}\" class=\"tick\">{5}</text>\n",
                       kLeft, kLeft + plot_w, py(reference_y), kLeft + 4, py(reference_y) - 4,
                       html_escape(reference_label));
  }
  for (std::size_t i = 0; i < series.size(); ++i) {
    std::string points;
    for (auto [x, y] : series[i].points) {
      if (!(x > 0) || !(y > 0) || !std::isfinite(y)) continue;
      points += fmt::format("{:.1f},{:.1f} ", px(x), py(y));
    }
    const char* color = kColors[i % 5];
    svg += fmt::format("<polyline class=\"series\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" "
                       "stroke-dasharray=\"{}\" points=\"{}\"/>\n",
                       color, kDashes[i % 5], points);
    const double ly = kTop + 14 + 18 * static_cast<double>(i);
    svg += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{3}\" "
                       "stroke-width=\"3\" stroke-dasharray=\"{7}\"/><text x=\"{4}\" y=\"{5}\" "
                       "class=\"legend\">{6}</text>\n",
                       kWidth - kRight + 10, kWidth - kRight + 28, ly, color,
                       kWidth - kRight + 32, ly + 4, html_escape(series[i].label), kDashes[i % 5]);
  }
  return svg + "</svg>\n";
}

std::string bar_chart_svg(const std::string& id, const std::string& title,
                          const std::vector<Bar>& bars, double limit) {
  const double row = 28, height = kTop + row * bars.size() + 30;
  const double plot_w = kWidth - 200 - 40;
  double scale_max = 1.0;
  for (const auto& b : bars) scale_max = std::max(scale_max, b.value);
  auto px = [&](double v) { return 200 + v / scale_max * plot_w; };
  std::string svg = fmt::format(
      "<svg id=\"{}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" "
      "height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">\n"
      "<text x=\"10\" y=\"18\" class=\"title\">{}</text>\n",
      id, kWidth, height, kWidth, height, html_escape(title), html_escape(title));
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double y = kTop + row * i;
    const bool over = bars[i].value > limit;
    svg += fmt::format("<text x=\"10\" y=\"{:.1f}\" class=\"legend\">{}</text>"
                       "<rect class=\"bar{}\" x=\"200\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"18\"/>"
                       "<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tick\">{:.0f} %</text>\n",
                       y + 13, html_escape(bars[i].label), over ? " over" : "", y,
                       std::max(1.0, px(bars[i].value) - 200), px(bars[i].value) + 4, y + 13,
                       bars[i].value * 100);
  }
  const double bottom = kTop + row * bars.size();
  svg += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" class=\"reference\"/>"
                     "<text x=\"{0:.1f}\" y=\"{3}\" class=\"tick\" text-anchor=\"middle\">{4:.0f} % rule</text>\n",
                     px(limit), kTop - 4, bottom, bottom + 16, limit * 100);
  svg += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" class=\"grid\"/>"
                     "<text x=\"{0:.1f}\" y=\"{3}\" class=\"tick\" text-anchor=\"middle\">part</text>\n",
                     px(1.0), kTop - 4, bottom, bottom + 28);
  return svg + "</svg>\n";
}

}  // namespace tierml::advise
