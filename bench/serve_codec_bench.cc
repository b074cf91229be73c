// Where a /predict request's server-side CPU time goes: nlohmann-json parsing
// and encoding next to the interpreter's invoke, on the baseline's shape (16
// floats in, FULLY_CONNECTED 16->1 + LOGISTIC, [1 - p, p] out). This is the
// measurement behind keeping nlohmann-json on the hot path (docs/serving.md):
// if JSON were most of the time, a faster parser would pay for itself.
// There is no TFLM baseline for serving; the figure printed is the JSON
// share of the request's CPU time.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "bench_support.h"
#include "model/graph_builder.h"
#include "model/writer.h"
#include "runtime_host/host_interpreter.h"
#include "serve/infer_request.h"

namespace {

using namespace tierml;

const std::string kPredictBody =
    R"({"x": [0.12, -1.3, 0.5, 2.2, -0.7, 0.03, 1.1, -0.4, 0.9, -2.1, 0.33, )"
    R"(0.0, 1.7, -0.25, 0.6, -1.05]})";

std::vector<uint8_t> baseline_model() {
  using namespace tierml::model;
  GraphBuilder b;
  const int32_t x = b.add_input("x", kTmFloat32, {1, 16});
  std::vector<float> w(16), bias = {0.25f};
  for (int i = 0; i < 16; ++i) w[i] = 0.1f * static_cast<float>(i - 8);
  const int32_t wt = b.add_constant("w", kTmFloat32, {1, 16}, to_bytes(w));
  const int32_t bt = b.add_constant("b", kTmFloat32, {1}, to_bytes(bias));
  const int32_t logit = b.add_tensor("logit", kTmFloat32, {1, 1});
  b.add_op(fully_connected_attrs(), {x, wt, bt}, {logit});
  const int32_t p = b.add_tensor("proba", kTmFloat32, {1, 1});
  b.add_op(attrs_of(kTmOpLogistic), {logit}, {p});
  b.mark_output(p);
  return *write_model(std::move(b).build());
}

serve::TensorSpec input_spec() { return {"x", kTmFloat32, {1, 16}, 16, 64}; }
serve::TensorSpec output_spec() { return {"proba", kTmFloat32, {1, 1}, 1, 4}; }

void BM_ParsePredict(benchmark::State& state) {
  const serve::TensorSpec spec = input_spec();
  for (auto _ : state) {
    auto bytes = serve::parse_predict_request(spec, kPredictBody);
    benchmark::DoNotOptimize(bytes);
  }
}
BENCHMARK(BM_ParsePredict);

void BM_EncodePredict(benchmark::State& state) {
  const serve::TensorSpec spec = output_spec();
  const float p = 0.8125f;
  const std::vector<uint8_t> value(reinterpret_cast<const uint8_t*>(&p),
                                   reinterpret_cast<const uint8_t*>(&p) + 4);
  for (auto _ : state) {
    std::string body = serve::encode_predict_response(spec, value);
    benchmark::DoNotOptimize(body);
  }
}
BENCHMARK(BM_EncodePredict);

void BM_Invoke(benchmark::State& state) {
  auto host = HostInterpreter::load(baseline_model());
  if (!host) {
    state.SkipWithError(host.status().message().c_str());
    return;
  }
  auto input = serve::parse_predict_request(input_spec(), kPredictBody);
  for (auto _ : state) {
    (*host)->set_input(0, *input);
    (*host)->invoke();
    benchmark::DoNotOptimize((*host)->output_bytes(0).data());
  }
}
BENCHMARK(BM_Invoke);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  tierml::bench::MedianReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  const double parse = reporter.medians["BM_ParsePredict"].cpu;
  const double encode = reporter.medians["BM_EncodePredict"].cpu;
  const double invoke = reporter.medians["BM_Invoke"].cpu;
  if (parse > 0 && invoke > 0) {
    std::printf(
        "/predict CPU per request: JSON parse %.0f ns + encode %.0f ns, "
        "invoke %.0f ns (CPU time); JSON / invoke = %.1fx\n",
        parse, encode, invoke, (parse + encode) / invoke);
  }
  return 0;
}
