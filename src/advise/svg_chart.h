// Minimal SVG charts for the HTML report: log-log line charts and horizontal
// bars, with axes, ticks and a legend. No scripts, no external assets.
#ifndef TIERML_ADVISE_SVG_CHART_H_
#define TIERML_ADVISE_SVG_CHART_H_

#include <string>
#include <utility>
#include <vector>

namespace tierml::advise {

// Text made safe for HTML and SVG element content and attributes.
std::string html_escape(const std::string& text);

struct Series {
  std::string label;
  std::vector<std::pair<double, double>> points;  // (x, y), both > 0
};

std::string line_chart_svg(const std::string& id, const std::string& title,
                           const std::string& x_label, const std::string& y_label,
                           const std::vector<Series>& series, double reference_y = 0,
                           const std::string& reference_label = "");

struct Bar {
  std::string label;
  double value;  // fraction of the part (1.0 = all of it)
};

// Bars against a limit line (the 70 % rule) and the part's full size.
std::string bar_chart_svg(const std::string& id, const std::string& title,
                          const std::vector<Bar>& bars, double limit);

}  // namespace tierml::advise

#endif  // TIERML_ADVISE_SVG_CHART_H_
