// `advise --measured`: figures `tierml profile --json` measured on an
// emulated board replace the advisor's estimates for that model and engine.
#ifndef TIERML_ADVISE_MEASURED_H_
#define TIERML_ADVISE_MEASURED_H_

#include <filesystem>

#include "advise/catalog.h"
#include "advise/scenario.h"
#include "common/status.h"

namespace tierml::advise {

// Reads one profile report and attaches it to the scenario model it measured
// (the same file contents as tiny_model or full_model). Refused, with what
// to do instead: a profile of another core than the scenario's board, of a
// model the scenario does not name, whose output did not match the host, or
// a file that is not a profile report.
Status apply_measured_profile(Scenario& scenario, const Board& board,
                              const std::filesystem::path& profile_json);

}  // namespace tierml::advise

#endif  // TIERML_ADVISE_MEASURED_H_
