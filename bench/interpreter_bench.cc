// Host invoke latency of the MLPerf Tiny int8 models through the device
// interpreter, against TensorFlow Lite Micro on the same kind of machine
// (TIERML_SHARED_DIR/baselines/tflm_host_x86.json: reference kernels and
// CMSIS-NN portable C). Median of repetitions; input in_0.bin as in the
// baseline. Also compares the arena bytes with TFLM's arena_used_bytes.
// A benchmark, not a test: the baseline's own note says wall times on a
// shared 2-core host are noisy, so read the ratios as rough.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench_support.h"
#include "runtime_host/host_interpreter.h"

namespace {

namespace fs = std::filesystem;

const char* const kModels[] = {"tiny_kws_ref_model", "tiny_vww_96_int8",
                               "tiny_pretrainedResnet_quant", "tiny_ad01_int8"};

std::vector<uint8_t> read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(file)),
                              std::istreambuf_iterator<char>());
}

double ratio(double ours, double theirs) {
  return ours > 0 ? theirs / ours : 0;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const fs::path shared = TIERML_SHARED_DIR;
  std::ifstream baseline_file(shared / "baselines" / "tflm_host_x86.json");
  const nlohmann::json baseline =
      nlohmann::json::parse(baseline_file, nullptr, false);
  if (baseline.is_discarded()) {
    std::printf("no baseline at %s; ratios omitted\n",
                (shared / "baselines").c_str());
  }

  std::map<std::string, std::unique_ptr<tierml::HostInterpreter>> hosts;
  for (const char* model : kModels) {
    const fs::path dir = shared / "golden" / model;
    auto host = tierml::HostInterpreter::load_file(dir / "model.tflite");
    if (!host) {
      std::printf("%s: skipped: %s\n", model, host.status().message().c_str());
      continue;
    }
    const tierml::Status status =
        (*host)->set_inputs(read_file(dir / "in_0.bin"));
    if (!status.is_ok()) {
      std::printf("%s: skipped: %s\n", model, status.message().c_str());
      continue;
    }
    tierml::HostInterpreter* h = host->get();
    hosts[model] = std::move(*host);
    tierml::bench::register_invoke(model, h, 7);
  }
  tierml::bench::MedianReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  std::printf("\n%-28s %9s %9s %9s %7s %10s %7s %9s %9s %9s\n", "model",
              "wall_us", "cpu_us", "tflm_ref", "speedup", "tflm_cmsis",
              "speedup", "arena", "tflm_ref", "tflm_cmsis");
  for (const auto& [model, host] : hosts) {
    const tierml::bench::Median median = reporter.medians[model];
    const double ours = median.cpu;
    const nlohmann::json entry =
        baseline.is_discarded() ? nlohmann::json() : baseline["models"][model];
    auto figure = [&](const char* variant, const char* key) {
      if (!entry.is_object() || !entry.contains(variant)) return 0.0;
      return entry[variant].value(key, 0.0);
    };
    const double ref_us =
        figure("tflm_reference_kernels", "wall_us_median_2core_host");
    const double cmsis_us =
        figure("tflm_cmsis_nn_kernels_portable_c", "wall_us_median_2core_host");
    std::printf(
        "%-28s %9.1f %9.1f %9.1f %6.2fx %10.1f %6.2fx %9zu %9.0f %9.0f\n",
        model.c_str(), median.wall, ours, ref_us, ratio(ours, ref_us), cmsis_us,
        ratio(ours, cmsis_us), host->arena_bytes(),
        figure("tflm_reference_kernels", "arena_used_bytes"),
        figure("tflm_cmsis_nn_kernels_portable_c", "arena_used_bytes"));
  }
  std::printf(
      "speedup = TFLM wall median / tierml CPU-time median (above 1: tierml "
      "faster). TFLM was timed on an otherwise idle host, where wall and CPU "
      "time agree; tierml's CPU time is used because this host may be shared "
      "(compare wall_us with cpu_us to see how loaded it is).\n");
  return 0;
}
