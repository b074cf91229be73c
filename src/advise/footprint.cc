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
  double runtime_code_kib, model_kib, runtime_ram_kib;
  if (const MeasuredRun* run = measured_run(model, engine)) {
    runtime_code_kib = run->runtime_code_bytes / 1024.0;
    model_kib = run->model_bytes / 1024.0;
    runtime_ram_kib = run->ram_bytes / 1024.0;
  } else if (engine == Engine::kInterpreter) {
    runtime_code_kib = kInterpreterCodeKib;
    model_kib = model.weight_bytes / 1024.0 * kBlobOverhead;
    runtime_ram_kib = model.arena_bytes / 1024.0 + kInterpreterRamKib;
  } else {
    runtime_code_kib = kCompiledCodeKib;
    model_kib = model.weight_bytes / 1024.0;
    runtime_ram_kib = model.arena_bytes / 1024.0;
  }
  Footprint f;
  f.flash_kib = s.firmware_flash_kib + runtime_code_kib + model_kib;
  f.ram_kib = s.firmware_ram_kib + runtime_ram_kib;
  // An interpreted model is a blob push; every compiled change a full image.
  f.ota_bytes = (engine == Engine::kInterpreter ? model_kib : f.flash_kib) * 1024.0;
  return f;
}

}  // namespace tierml::advise
