// The decision engine: evaluates the five placements of a scenario against
// every criterion of the decision matrix, ranks them, recommends one and says
// what would change the answer.
#ifndef TIERML_ADVISE_ADVISOR_H_
#define TIERML_ADVISE_ADVISOR_H_

#include <string>
#include <vector>

#include "advise/catalog.h"
#include "advise/scenario.h"

namespace tierml::advise {

enum class Placement { kTinymlInterpreter, kTinymlCompiled, kEdge, kCloud, kHybrid };
constexpr Placement kAllPlacements[] = {Placement::kTinymlInterpreter,
                                        Placement::kTinymlCompiled, Placement::kEdge,
                                        Placement::kCloud, Placement::kHybrid};
const char* placement_id(Placement placement);

struct Criterion {
  std::string name;  // latency, offline, power, capability, privacy, updates,
                     // unit_cost, cloud_bill, bandwidth, attack_surface
  bool pass = true;
  double value = 0;
  double limit = 0;  // NaN when the criterion has no numeric limit
  std::string unit;
  std::string why;
};

// The numbers behind one placement, kept for ranking, what-ifs and charts.
struct Figures {
  double latency_ms = 0;
  double energy_per_day_j = 0;  // device side
  double battery_life_days = 0; // INFINITY on mains
  double flash_kib = 0, ram_kib = 0;  // on the device (TinyML, hybrid trigger)
  double bytes_per_day = 0;           // per device, uplink
  double cloud_usd_per_month = 0;     // whole fleet
  double site_usd_per_month = 0;      // gateways: electricity + amortisation
  double unit_cost_usd = 0;
};

struct Option {
  Placement placement;
  bool pass = true;
  std::vector<Criterion> criteria;
  Figures figures;
  int failures() const;
};

struct Advice {
  std::string scenario;
  std::string recommendation;  // placement id
  std::string summary;         // one line: why the recommendation
  std::vector<Option> options; // ranked, best first
  std::vector<std::string> what_would_change;
  std::vector<std::string> assumptions;
};

// Validates the scenario's ids against the catalog.
Status check_scenario(const Scenario& scenario, const Catalog& catalog);

// Evaluates one placement (scenario checked, models resolved).
Option evaluate(const Scenario& scenario, const Catalog& catalog, Placement placement);

Expected<Advice> advise(const Scenario& scenario, const Catalog& catalog);

}  // namespace tierml::advise

#endif  // TIERML_ADVISE_ADVISOR_H_
