// Float32 models through the host engine, in GFLOP/s (2 x MACs per second),
// against what one core of this machine can do at most: the same binary
// measures the single-thread peak of 8-wide fused multiply-adds (AVX2 FMA,
// enough independent chains to fill both FMA ports). A benchmark, not a
// test; the fraction of peak is the figure to read.
#include <benchmark/benchmark.h>
#include <immintrin.h>
#include <time.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "bench_support.h"
#include "model/macs.h"
#include "model/reader.h"
#include "runtime_host/host_interpreter.h"

namespace {

namespace fs = std::filesystem;

const char* const kModels[] = {"tiny_vww_96_float", "tiny_ad01_fp32",
                               "tflm_hello_world_float"};

// 12 independent chains of 8-lane FMAs: latency 4 cycles x 2 ports needs at
// least 8 in flight.
__attribute__((target("avx2,fma"))) double fma_peak_gflops() {
  constexpr int kChains = 12;
  constexpr long kIterations = 20'000'000;
  __m256 acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm256_set1_ps(0.001f * c);
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  // CPU time of this thread, like the model figures: the host may be shared.
  timespec start, end;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
  for (long i = 0; i < kIterations; ++i) {
    // Unrolled, or GCC -O2 keeps acc[] in memory and the store-to-load round
    // trip, not the FMA ports, sets the pace.
#pragma GCC unroll 12
    for (int c = 0; c < kChains; ++c) acc[c] = _mm256_fmadd_ps(acc[c], a, b);
  }
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end);
  const double seconds =
      static_cast<double>(end.tv_sec - start.tv_sec) +
      1e-9 * static_cast<double>(end.tv_nsec - start.tv_nsec);
  float sink = 0;
  for (int c = 0; c < kChains; ++c) sink += _mm256_cvtss_f32(acc[c]);
  benchmark::DoNotOptimize(sink);
  return 2.0 * 8 * kChains * static_cast<double>(kIterations) / seconds / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const fs::path shared = TIERML_SHARED_DIR;
  struct Loaded {
    std::unique_ptr<tierml::HostInterpreter> host;
    double macs = 0;
  };
  std::map<std::string, Loaded> loaded;
  for (const char* model : kModels) {
    const fs::path path = shared / "golden" / model / "model.tflite";
    auto host = tierml::HostInterpreter::load_file(path);
    auto graph = tierml::model::read_model_file(path.string());
    if (!host || !graph) {
      std::printf("%s: skipped: %s\n", model,
                  (!host ? host.status() : graph.status()).message().c_str());
      continue;
    }
    tierml::HostInterpreter* h = host->get();
    loaded[model] = {std::move(*host),
                     static_cast<double>(tierml::model::total_macs(*graph))};
    tierml::bench::register_invoke(model, h, 5);
  }
  tierml::bench::MedianReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  const bool fma =
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  const double peak = fma ? fma_peak_gflops() : 0;
  std::printf("\nsingle-thread FMA peak: %.1f GFLOP/s%s\n", peak,
              fma ? "" : " (no AVX2+FMA: not measured)");
  std::printf("%-26s %10s %9s %10s %8s\n", "model", "cpu_us", "MFLOP",
              "GFLOP/s", "of peak");
  for (const auto& [model, entry] : loaded) {
    const double us = reporter.medians[model].cpu;
    const double gflops = us > 0 ? 2 * entry.macs / (us * 1e3) : 0;
    std::printf("%-26s %10.1f %9.2f %10.2f %7.1f%%\n", model.c_str(), us,
                2 * entry.macs / 1e6, gflops,
                peak > 0 ? 100 * gflops / peak : 0.0);
  }
  return 0;
}
