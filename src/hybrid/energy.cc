#include "hybrid/energy.h"

#include <algorithm>

#include "advise/cost_model.h"

namespace tierml::hybrid {
namespace {

template <typename T>
std::string known_ids(const std::vector<T>& entries) {
  std::string out;
  for (const T& e : entries) out += (out.empty() ? "" : ", ") + e.id;
  return out;
}

}  // namespace

Expected<EnergyEstimate> EnergyEstimate::create(const std::string& board,
                                                const std::string& radio,
                                                double macs_per_inference) {
  auto catalog = advise::load_catalog(advise::default_catalog_dir());
  if (!catalog) return catalog.status();
  EnergyEstimate e;
  e.catalog_ = std::move(*catalog);
  const advise::Board* b = e.catalog_.board(board);
  if (!b)
    return invalid_argument("unknown board '" + board +
                            "' (known: " + known_ids(e.catalog_.boards) + ")");
  const advise::Radio* r = e.catalog_.radio(radio);
  if (!r)
    return invalid_argument("unknown radio '" + radio +
                            "' (known: " + known_ids(e.catalog_.radios) + ")");
  e.board_ = *b;
  e.radio_ = *r;
  advise::ModelFigures trigger;
  trigger.macs = macs_per_inference;
  e.inference_j_ = advise::device_inference_energy_j(
      e.board_, advise::Engine::kInterpreter, trigger);
  const bool on_chip =
      std::find(b->radios.begin(), b->radios.end(), radio) != b->radios.end();
  e.sleep_w_ =
      advise::sleep_energy_per_day_j(e.board_, on_chip ? nullptr : &e.radio_) /
      advise::kSecondsPerDay;
  return e;
}

double EnergyEstimate::send_j(double bytes) const {
  return advise::send_energy_j(radio_, bytes);
}

double EnergyEstimate::total_j(double seconds, double inferences,
                               double messages, double bytes) const {
  const double per_message = messages > 0 ? bytes / messages : 0;
  return sleep_j(seconds) + inferences * inference_j_ +
         messages * send_j(per_message);
}

Expected<double> EnergyEstimate::battery_days(const std::string& battery,
                                              double energy_per_day_j) const {
  const advise::Battery* b = catalog_.battery(battery);
  if (!b)
    return invalid_argument("unknown battery '" + battery +
                            "' (known: " + known_ids(catalog_.batteries) + ")");
  return advise::battery_life_days(*b, energy_per_day_j);
}

}  // namespace tierml::hybrid
