// The profiling firmware: runs one model on the emulated board and reports,
// over semihosting, what the host needs to measure it.
//
// 1. init with the model's own operators; the arena must be exactly what the
//    interpreter reports needing (otherwise it says so and stops, and the
//    host relinks with that figure);
// 2. one inference, timed with the board's free-running counter, with the
//    stack painted just before it to find its high-water mark; the outputs go
//    to output.bin;
// 3. init again with every operator's invoke wrapped by a timing trampoline
//    and run the same inference, reporting each layer's counter values. The
//    wrapper exists only in this firmware: the interpreter is unchanged, and
//    the inference of step 2 runs without it.
//
// The counter ticks at a fixed rate of QEMU's virtual clock, which advances a
// fixed time per instruction under -icount; the host turns raw readings into
// instruction counts (src/target/firmware_output.h). Lines on stdout:
//   arena_needed N STATUS [message]   (after each init)
//   inference C0 H0 C1 H1     (counter and 100 Hz counter, before and after)
//   stack N                   (bytes used, from the top of the stack)
//   calib 0 C0 C1             (the trampoline around an empty operator)
//   layer I C0 C1
//   done
#include "interpreter/interpreter.h"
#include "interpreter/op_context.h"
#include "interpreter/op_resolver.h"
#include "profile_firmware.h"
#include "profile_support.h"

namespace {

using tierml::OpContext;
using tierml::OpRegistration;
using tierml::OpResolver;
using tierml::firmware::kCounter;
using tierml::firmware::Line;

constexpr int kMaxOps = 32;

tierml::Interpreter g_interpreter;
OpResolver g_resolver;

TM_MEASURE OpResolver g_timed_resolver;
TM_MEASURE OpRegistration g_timed[kMaxOps];
TM_MEASURE TmStatus (*g_original[kMaxOps + 1])(OpContext&);
TM_MEASURE int32_t g_node;
TM_MEASURE const char* g_label;

// Reports one layer, after the second reading (outside the measured
// interval); kept out of line so that each trampoline stays a few bytes.
__attribute__((noinline)) void report_layer(uint32_t before, uint32_t after) {
  Line(g_label)
      .number(static_cast<uint32_t>(g_node++))
      .number(before)
      .number(after);
}

template <int K>
TmStatus timed_invoke(OpContext& ctx) {
  const uint32_t before = *kCounter;
  const TmStatus status = g_original[K](ctx);
  const uint32_t after = *kCounter;
  report_layer(before, after);
  return status;
}

TmStatus empty_invoke(OpContext&) { return kTmOk; }

template <int K>
void install_trampolines(TmStatus (**table)(OpContext&)) {
  table[K] = timed_invoke<K>;
  if constexpr (K > 0) install_trampolines<K - 1>(table);
}

TM_MEASURE TmStatus (*g_trampolines[kMaxOps + 1])(OpContext&);

tierml::firmware::Span input_at(int i) {
  TmTensor* tensor = g_interpreter.input(i);
  return {tensor->data, tensor->bytes};
}

tierml::firmware::Span output_at(int i) {
  TmTensor* tensor = g_interpreter.output(i);
  return {tensor->data, tensor->bytes};
}

int init(const OpResolver* resolver) {
  const size_t blob_size = static_cast<size_t>(tm_model_end - tm_model_start);
  const TmStatus status = g_interpreter.init(
      tm_model_start, blob_size, tm_arena, tm_arena_bytes, resolver);
  Line("arena_needed")
      .number(static_cast<uint32_t>(g_interpreter.arena_bytes_needed()))
      .number(static_cast<uint32_t>(status))
      .text(" ")
      .text(g_interpreter.last_error());
  if (status == kTmErrorArenaTooSmall ||
      (status == kTmOk &&
       g_interpreter.arena_bytes_needed() != tm_arena_bytes)) {
    return TM_EXIT_ARENA_MISMATCH;
  }
  if (status != kTmOk) {
    Line("error").text(" init: ").text(g_interpreter.last_error());
    return TM_EXIT_INIT_FAILED;
  }
  return TM_EXIT_OK;
}

}  // namespace

int main() {
  if (tm_model_op_count > kMaxOps) {
    Line("error").text(" too many operator types");
    return TM_EXIT_INIT_FAILED;
  }
  for (int k = 0; k < tm_model_op_count; ++k) {
    g_resolver.add(reinterpret_cast<const OpRegistration*>(tm_model_ops[k]()));
  }
  int code = init(&g_resolver);
  if (code != TM_EXIT_OK) return code;
  code = tierml::firmware::load_inputs(g_interpreter.num_inputs(), input_at);
  if (code != TM_EXIT_OK) return code;

  const TmStatus status =
      tierml::firmware::timed([] { return g_interpreter.invoke(); });
  if (status != kTmOk) {
    Line("error").text(" invoke: ").text(g_interpreter.last_error());
    return TM_EXIT_INVOKE_FAILED;
  }
  code = tierml::firmware::report_timed(g_interpreter.num_outputs(), output_at);
  if (code != TM_EXIT_OK) return code;
  const uint32_t expected =
      tierml::firmware::hash_buffers(g_interpreter.num_outputs(), output_at);

  // Per-layer run: the same operators behind timing trampolines.
  install_trampolines<kMaxOps>(g_trampolines);
  g_original[kMaxOps] = empty_invoke;
  g_label = "calib";
  OpContext dummy;
  g_trampolines[kMaxOps](dummy);  // the "calib" line
  g_label = "layer";
  g_node = 0;
  for (int k = 0; k < tm_model_op_count; ++k) {
    const OpRegistration* original =
        reinterpret_cast<const OpRegistration*>(tm_model_ops[k]());
    g_timed[k] = *original;
    g_original[k] = original->invoke;
    g_timed[k].invoke = g_trampolines[k];
    g_timed_resolver.add(&g_timed[k]);
  }
  code = init(&g_timed_resolver);
  if (code != TM_EXIT_OK) return code;
  code = tierml::firmware::load_inputs(g_interpreter.num_inputs(), input_at);
  if (code != TM_EXIT_OK) return code;
  if (g_interpreter.invoke() != kTmOk) return TM_EXIT_INVOKE_FAILED;
  if (tierml::firmware::hash_buffers(g_interpreter.num_outputs(), output_at) !=
      expected) {
    Line("error").text(" the timed run gave different outputs");
    return TM_EXIT_RUNS_DIFFER;
  }
  Line("done");
  return TM_EXIT_OK;
}
