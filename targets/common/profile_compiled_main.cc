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

using tierml::firmware::kClock100Hz;
using tierml::firmware::kCounter;
using tierml::firmware::Line;

TM_MEASURE uint32_t g_layer_start;
TM_MEASURE uint32_t g_node;
TM_MEASURE const char* g_label;

bool load_inputs() {
  const int handle = sh_open("input.bin", SH_MODE_RB);
  if (handle < 0) return false;
  size_t total = 0;
  for (int i = 0; i < tm_num_inputs; ++i) total += tm_input_bytes[i];
  bool ok = sh_flen(handle) == static_cast<long>(total);
  for (int i = 0; ok && i < tm_num_inputs; ++i) {
    ok = sh_read(handle, tm_inputs[i], tm_input_bytes[i]) == 0;
  }
  sh_close(handle);
  return ok;
}

bool save_outputs() {
  const int handle = sh_open("output.bin", SH_MODE_WB);
  if (handle < 0) return false;
  bool ok = true;
  for (int i = 0; ok && i < tm_num_outputs; ++i) {
    ok = sh_write(handle, tm_outputs[i], tm_output_bytes[i]) == 0;
  }
  sh_close(handle);
  return ok;
}

uint32_t outputs_hash() {
  uint32_t hash = tierml::firmware::kFnvStart;
  for (int i = 0; i < tm_num_outputs; ++i) {
    hash = tierml::firmware::fnv1a(hash, tm_outputs[i], tm_output_bytes[i]);
  }
  return hash;
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
  if (!load_inputs()) {
    Line("error").text(" cannot read input.bin with the model's input size");
    return TM_EXIT_IO_FAILED;
  }

  tierml::firmware::paint_stack();
  const uint32_t h0 = *kClock100Hz;
  const uint32_t c0 = *kCounter;
  const int status = tm_compiled_invoke();
  const uint32_t c1 = *kCounter;
  const uint32_t h1 = *kClock100Hz;
  const uint32_t stack = tierml::firmware::stack_used();
  if (status != 0) {
    Line("error").text(" invoke: the generated code refused the arena");
    return TM_EXIT_INVOKE_FAILED;
  }
  Line("inference").number(c0).number(h0).number(c1).number(h1);
  if (stack == 0) {
    Line("error").text(" stack overflow");
    return TM_EXIT_STACK_OVERFLOW;
  }
  Line("stack").number(stack);
  if (!save_outputs()) {
    Line("error").text(" cannot write output.bin");
    return TM_EXIT_IO_FAILED;
  }
  const uint32_t expected = outputs_hash();

  // Per-layer run: the hooks around nothing first, then around each layer.
  g_label = "calib";
  g_node = 0;
  model_layer_begin();
  model_layer_end();
  g_label = "layer";
  g_node = 0;
  clear_outputs();
  tm_compiled_reset();
  if (!load_inputs()) return TM_EXIT_IO_FAILED;
  if (tm_compiled_invoke_layers() != 0) return TM_EXIT_INVOKE_FAILED;
  if (outputs_hash() != expected) {
    Line("error").text(" the timed run gave different outputs");
    return TM_EXIT_RUNS_DIFFER;
  }
  Line("done");
  return TM_EXIT_OK;
}
