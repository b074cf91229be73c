// Renders advice for people (text, HTML with charts) and for programs (JSON).
#ifndef TIERML_ADVISE_REPORT_H_
#define TIERML_ADVISE_REPORT_H_

#include <nlohmann/json.hpp>
#include <string>

#include "advise/advisor.h"

namespace tierml::advise {

// {"recommendation", "summary", "options": [{"placement", "verdict",
//  "criteria": [{"name", "pass", "value", "limit", "unit", "why"}]}],
//  "what_would_change", "assumptions"}; NaN limits become null.
nlohmann::json advice_to_json(const Advice& advice);

std::string advice_to_text(const Advice& advice);

// A self-contained page: the ranked table, and SVG charts of battery life
// against inference rate, flash/RAM fit against the part, and monthly cost
// against fleet size, each computed by re-evaluating the scenario.
std::string advice_to_html(const Advice& advice, const Scenario& scenario,
                           const Catalog& catalog);

}  // namespace tierml::advise

#endif  // TIERML_ADVISE_REPORT_H_
