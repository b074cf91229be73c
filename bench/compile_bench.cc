// The compiled path (tierml compile) on the MLPerf Tiny int8 models: arena
// bytes against TensorFlow Lite Micro's arena_used_bytes, constant bytes
// against the .tflite file, and host latency compiled vs interpreted.
//
// How latency is measured: the compiled model is generated into a temporary
// folder and built with its own Makefile at -O3 -DNDEBUG (the flags of this
// project's Release build, so that both sides run equally optimized kernels);
// the harness is then run with an iteration count and reports the mean CPU time
// (clock()) of one invoke. The interpreted figure is the device interpreter
// through HostInterpreter, measured by Google Benchmark (median CPU time of
// repetitions), in this process. Both run the same kernels compiled by the same
// compiler; input in_0.bin. The machine is a shared 2-core host: read the
// ratios as rough.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench_support.h"
#include "codegen/compiler.h"
#include "model/reader.h"
#include "plan/plan.h"
#include "runtime_host/host_interpreter.h"

namespace {

namespace fs = std::filesystem;

const char* const kModels[] = {"tiny_kws_ref_model", "tiny_vww_96_int8",
                               "tiny_pretrainedResnet_quant", "tiny_ad01_int8"};

struct CompiledFigures {
  std::string problem;
  int64_t arena_bytes = 0;
  int64_t constant_bytes = 0;
  int64_t weight_bytes = 0;
  double invoke_us = 0;
};

std::vector<uint8_t> read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(file)),
                              std::istreambuf_iterator<char>());
}

// Mean CPU microseconds per invoke reported by the harness, or -1.
double run_harness(const fs::path& dir, const std::string& name,
                   const fs::path& input, long iterations) {
  const fs::path log = dir / "time.txt";
  const std::string command =
      "'" + (dir / (name + "_host")).string() + "' '" + input.string() + "' '" +
      (dir / "out.bin").string() + "' " + std::to_string(iterations) + " 2> '" +
      log.string() + "'";
  if (std::system(command.c_str()) != 0) return -1;
  std::ifstream text(log);
  std::string key;
  double us = -1;
  text >> key >> us;
  return key == "invoke_us" ? us : -1;
}

CompiledFigures measure_compiled(const fs::path& model_dir,
                                 const fs::path& work) {
  CompiledFigures f;
  auto graph =
      tierml::model::read_model_file((model_dir / "model.tflite").string());
  if (!graph) return {graph.status().message()};
  auto plan = tierml::plan::plan_memory(*graph);
  if (!plan) return {plan.status().message()};
  tierml::codegen::CompileOptions options;
  options.name = "m";
  auto compiled = tierml::codegen::compile_model(*graph, *plan, options);
  if (!compiled) return {compiled.status().message()};
  f.arena_bytes = compiled->arena_bytes;
  f.constant_bytes = compiled->constant_bytes;
  f.weight_bytes = compiled->weight_bytes;
  const fs::path dir = work / model_dir.filename();
  if (!tierml::codegen::write_compiled_model(dir.string(), *compiled).is_ok()) {
    return {"cannot write " + dir.string()};
  }
  const std::string make = "make -s -j2 -C '" + dir.string() +
                           "' OPT='-O3 -DNDEBUG' > '" +
                           (dir / "build.log").string() + "' 2>&1";
  if (std::system(make.c_str()) != 0)
    return {"build failed in " + dir.string()};
  const fs::path input = model_dir / "in_0.bin";
  // Calibrate to about a second of work.
  const double first = run_harness(dir, "m", input, 5);
  if (first <= 0) return {"harness failed"};
  const long iterations = std::max(10L, static_cast<long>(1e6 / first));
  f.invoke_us = run_harness(dir, "m", input, iterations);
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const fs::path shared = TIERML_SHARED_DIR;
  const fs::path golden = shared / "golden";
  std::ifstream baseline_file(shared / "baselines" / "tflm_host_x86.json");
  const nlohmann::json baseline =
      nlohmann::json::parse(baseline_file, nullptr, /*allow_exceptions=*/false);
  if (!fs::is_directory(golden) || baseline.is_discarded()) {
    std::printf("golden models or baselines not found under %s\n",
                shared.c_str());
    return 0;
  }
  const fs::path work = fs::temp_directory_path() /
                        ("tierml_compile_bench_" + std::to_string(getpid()));
  std::map<std::string, CompiledFigures> compiled;
  std::vector<std::unique_ptr<tierml::HostInterpreter>> hosts;
  std::vector<std::vector<uint8_t>> inputs;
  for (const char* model : kModels) {
    compiled[model] = measure_compiled(golden / model, work);
    auto host = tierml::HostInterpreter::load_file(
        (golden / model / "model.tflite").string());
    if (!host) continue;
    inputs.push_back(read_file(golden / model / "in_0.bin"));
    (*host)->set_inputs(inputs.back());
    hosts.push_back(std::move(*host));
    tierml::HostInterpreter* h = hosts.back().get();
    tierml::bench::register_invoke(model, h, 5);
  }
  fs::remove_all(work);
  tierml::bench::MedianReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);

  std::printf("\n%-28s %8s %8s %6s | %8s %8s %6s %6s | %9s %9s %7s\n", "model",
              "arena", "TFLM", "ratio", "consts", "tflite", "ratio", "floor",
              "comp_us", "interp_us", "speedup");
  for (const char* model : kModels) {
    const CompiledFigures& f = compiled[model];
    if (!f.problem.empty()) {
      std::printf("%-28s compile failed: %s\n", model, f.problem.c_str());
      continue;
    }
    const double tflm_arena =
        baseline["models"][model]["tflm_reference_kernels"].value(
            "arena_used_bytes", 0.0);
    const double file_bytes =
        static_cast<double>(fs::file_size(golden / model / "model.tflite"));
    const double interp = reporter.medians[model].cpu;
    // floor: the weights alone (what no lossless layout can drop) / file.
    std::printf(
        "%-28s %8lld %8.0f %6.3f | %8lld %8.0f %6.3f %6.3f | %9.1f %9.1f "
        "%7.2f\n",
        model, static_cast<long long>(f.arena_bytes), tflm_arena,
        tflm_arena > 0 ? f.arena_bytes / tflm_arena : 0.0,
        static_cast<long long>(f.constant_bytes), file_bytes,
        f.constant_bytes / file_bytes, f.weight_bytes / file_bytes, f.invoke_us,
        interp, f.invoke_us > 0 ? interp / f.invoke_us : 0.0);
  }
  std::printf(
      "arena ratio = compiled arena / TFLM arena_used_bytes (reference "
      "kernels); consts ratio = constant bytes in the generated C / .tflite "
      "size; floor = constant tensors' bytes / .tflite size; speedup = "
      "interpreted / compiled CPU time per invoke.\n");
  benchmark::Shutdown();
  return 0;
}
