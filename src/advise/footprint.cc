#include "advise/footprint.h"

namespace tierml::advise {
namespace {

// Interpreter: kernels, flatbuffer walker and planner (TFLM's reference
// build is 61 KiB of code on Cortex-M4, ../shared/baselines); the model blob
// adds ~5 % of flatbuffer structure; tensor descriptors and op data ~4 KiB.
constexpr double kInterpreterCodeKib = 40;
constexpr double kBlobOverhead = 1.05;
constexpr double kInterpreterRamKib = 4;
// Compiled: only the kernels the model calls (issue 3/4 target: <= 12 KiB).
constexpr double kCompiledCodeKib = 12;

}  // namespace

Footprint device_footprint(const Scenario& s, const ModelFigures& model, Engine engine) {
  Footprint f;
  const double weights_kib = model.weight_bytes / 1024.0;
  const double arena_kib = model.arena_bytes / 1024.0;
  if (engine == Engine::kInterpreter) {
    const double blob_kib = weights_kib * kBlobOverhead;
    f.flash_kib = s.firmware_flash_kib + kInterpreterCodeKib + blob_kib;
    f.ram_kib = s.firmware_ram_kib + arena_kib + kInterpreterRamKib;
    f.ota_bytes = blob_kib * 1024.0;  // only the blob changes
  } else {
    f.flash_kib = s.firmware_flash_kib + kCompiledCodeKib + weights_kib;
    f.ram_kib = s.firmware_ram_kib + arena_kib;
    f.ota_bytes = f.flash_kib * 1024.0;  // every model change is a full image
  }
  return f;
}

}  // namespace tierml::advise
