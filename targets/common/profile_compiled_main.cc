// The profiling firmware of the compiled engine: runs the code `tierml
// compile` generates for one model on the emulated board and reports, over
// semihosting, what the host needs to measure it (the same lines as
// profile_main.cc, without arena_needed: the arena is the compiler's plan).
//
// 1. one inference through the generated model_invoke_with_arena, timed with
//    the board's free-running counter, with the stack painted just before it
//    to find its high-water mark; the outputs go to output.bin;
// 2. the same inference through model_invoke_layers_with_arena, whose layers
//    call model_layer_begin/model_layer_end below: each layer's counter
//    values. That copy of the calls lives in .tm_measure_text, outside the
//    flash figure, and shares the model's constants and kernels; the
//    inference of step 1 runs without it.
#include "compiled_firmware.h"
#include "profile_support.h"

namespace {

using tierml::firmware::kCounter;
using tierml::firmware::Line;

TM_MEASURE uint32_t g_layer_start;
TM_MEASURE uint32_t g_node;
TM_MEASURE const char* g_label;

tierml::firmware::Span input_at(int i) {
  return {tm_inputs[i], tm_input_bytes[i]};
}

tierml::firmware::Span output_at(int i) {
  return {tm_outputs[i], tm_output_bytes[i]};
}

void clear_outputs() {
  for (int i = 0; i < tm_num_outputs; ++i) {
    uint8_t* bytes = static_cast<uint8_t*>(tm_outputs[i]);
    for (size_t k = 0; k < tm_output_bytes[i]; ++k) bytes[k] = 0;
  }
}

}  // namespace

// The hooks keep the work between the two readings to a call and a return;
// the report is printed after the second reading.
extern "C" __attribute__((noinline)) void model_layer_begin(void) {
  g_layer_start = *kCounter;
}

extern "C" __attribute__((noinline)) void model_layer_end(void) {
  const uint32_t after = *kCounter;
  Line(g_label).number(g_node++).number(g_layer_start).number(after);
}

int main() {
  tm_compiled_reset();
  int code = tierml::firmware::load_inputs(tm_num_inputs, input_at);
  if (code != TM_EXIT_OK) return code;

  const int status = tierml::firmware::timed(tm_compiled_invoke);
  if (status != 0) {
    Line("error").text(" invoke: the generated code refused the arena");
    return TM_EXIT_INVOKE_FAILED;
  }
  code = tierml::firmware::report_timed(tm_num_outputs, output_at);
  if (code != TM_EXIT_OK) return code;
  const uint32_t expected =
      tierml::firmware::hash_buffers(tm_num_outputs, output_at);

  // Per-layer run: the hooks around nothing first, then around each layer.
  g_label = "calib";
  g_node = 0;
  model_layer_begin();
  model_layer_end();
  g_label = "layer";
  g_node = 0;
  clear_outputs();
  tm_compiled_reset();
  code = tierml::firmware::load_inputs(tm_num_inputs, input_at);
  if (code != TM_EXIT_OK) return code;
  if (tm_compiled_invoke_layers() != 0) return TM_EXIT_INVOKE_FAILED;
  if (tierml::firmware::hash_buffers(tm_num_outputs, output_at) != expected) {
    Line("error").text(" the timed run gave different outputs");
    return TM_EXIT_RUNS_DIFFER;
  }
  Line("done");
  return TM_EXIT_OK;
}
