// What a model costs on the device beyond its weights and activations: the
// runtime's code and bookkeeping, by engine: what `tierml profile` measured
// when the model carries it (advise --measured), engineering estimates
// otherwise; advise states which.
#ifndef TIERML_ADVISE_FOOTPRINT_H_
#define TIERML_ADVISE_FOOTPRINT_H_

#include "advise/cost_model.h"
#include "advise/scenario.h"

namespace tierml::advise {

// The 70 % rule: model plus firmware within this share of flash and RAM.
constexpr double kHeadroom = 0.70;

struct Footprint {
  double flash_kib = 0;  // model + runtime + rest of the firmware
  double ram_kib = 0;
  double ota_bytes = 0;  // what one model update sends to the device
};

Footprint device_footprint(const Scenario& scenario, const ModelFigures& model,
                           Engine engine);

}  // namespace tierml::advise

#endif  // TIERML_ADVISE_FOOTPRINT_H_
