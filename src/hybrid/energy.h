// What running as a hybrid device costs in energy, from the advisor's
// catalog and cost models (src/advise): each trigger-model inference on the
// board's interpreter, each event sent over the radio, and sleep in between.
// The feature frontend's cycles are not counted (the catalog has no figure
// for them yet), so the estimate is a lower bound.
#ifndef TIERML_HYBRID_ENERGY_H_
#define TIERML_HYBRID_ENERGY_H_

#include <string>

#include "advise/catalog.h"
#include "common/status.h"

namespace tierml::hybrid {

class EnergyEstimate {
 public:
  // Looks the ids up in the catalog (data/ or $TIERML_DATA); invalid_argument
  // listing the known ids otherwise.
  static Expected<EnergyEstimate> create(const std::string& board,
                                         const std::string& radio,
                                         double macs_per_inference);

  double inference_j() const { return inference_j_; }
  double send_j(double bytes) const;
  double sleep_j(double seconds) const { return sleep_w_ * seconds; }
  // Total for a period of `seconds` with these counts.
  double total_j(double seconds, double inferences, double messages,
                 double bytes) const;
  // Battery life in days at energy_per_day_j (battery from the catalog).
  Expected<double> battery_days(const std::string& battery,
                                double energy_per_day_j) const;
  const std::string& board_id() const { return board_.id; }
  const std::string& radio_id() const { return radio_.id; }

 private:
  advise::Catalog catalog_;
  advise::Board board_;
  advise::Radio radio_;
  double inference_j_ = 0;
  double sleep_w_ = 0;
};

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_ENERGY_H_
