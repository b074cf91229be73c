// What the Google Benchmark programs in bench/ share: a reporter that keeps
// each benchmark's median for the tables printed after the run, and the
// invoke loop of a host interpreter.
#ifndef TIERML_BENCH_BENCH_SUPPORT_H_
#define TIERML_BENCH_BENCH_SUPPORT_H_

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

#include "runtime_host/host_interpreter.h"

namespace tierml::bench {

// Wall and CPU time in the benchmark's unit.
struct Median {
  double wall = 0;
  double cpu = 0;
};

// The console output, plus each benchmark's median (or its only run when
// no repetitions were asked for).
class MedianReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.aggregate_name.empty() || run.aggregate_name == "median") {
        medians[run.run_name.function_name] = {run.GetAdjustedRealTime(),
                                               run.GetAdjustedCPUTime()};
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, Median> medians;
};

// Registers `name`: host's invoke in a loop, stopped with an error if an
// invoke fails; in microseconds, `repetitions` times, medians reported.
inline void register_invoke(const std::string& name, HostInterpreter* host,
                            int repetitions) {
  benchmark::RegisterBenchmark(name.c_str(),
                               [host](benchmark::State& state) {
                                 for (auto _ : state) {
                                   if (!host->invoke().is_ok()) {
                                     state.SkipWithError("invoke failed");
                                     break;
                                   }
                                 }
                               })
      ->Unit(benchmark::kMicrosecond)
      ->Repetitions(repetitions)
      ->ReportAggregatesOnly(true);
}

}  // namespace tierml::bench

#endif  // TIERML_BENCH_BENCH_SUPPORT_H_
