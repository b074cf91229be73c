// libFuzzer target: the whole device path on arbitrary bytes. The reader
// only proves the flatbuffer is well formed; a well-formed file can still
// carry shapes, quantization or options that make no sense to a kernel, so
// the interpreter's init (every kernel's prepare) and one invoke must reject
// or survive them without reading or writing outside the blob and arena.
#include <cstdint>
#include <cstring>
#include <memory>

#include "tierml/interpreter.h"

namespace {

// Large enough for every golden model, so mutations of them reach invoke.
constexpr size_t kArenaBytes = size_t{1} << 20;
alignas(16) uint8_t g_arena[kArenaBytes];

void check(bool condition) {
  if (!condition) __builtin_trap();
}

const TmOpResolver& all_builtins() {
  static TmOpResolver resolver;
  static bool ready = false;
  if (!ready) {
    tm_resolver_init(&resolver);
    // Builtin codes are below 256 (the schema's deprecated byte code).
    for (int32_t op = 0; op < 256; ++op) {
      if (tm_builtin_op_is_supported(op)) {
        tm_resolver_add_builtin(&resolver, static_cast<TmBuiltinOp>(op));
      }
    }
    ready = true;
  }
  return resolver;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Exactly `size` bytes (operator new aligns to 16), so reads past the
  // blob trip ASan.
  std::unique_ptr<uint8_t[]> blob(new uint8_t[size == 0 ? 1 : size]);
  if (size > 0) std::memcpy(blob.get(), data, size);

  TmInterpreter interpreter;
  const TmStatus status =
      tm_interpreter_init(&interpreter, blob.get(), size, g_arena,
                          kArenaBytes, &all_builtins());
  if (status != kTmOk) {
    check(tm_interpreter_last_error(&interpreter)[0] != '\0');
    return 0;
  }
  check(tm_interpreter_arena_bytes_needed(&interpreter) <= kArenaBytes);
  for (int i = 0; i < tm_interpreter_num_inputs(&interpreter); ++i) {
    TmTensor* input = tm_interpreter_input(&interpreter, i);
    check(input != nullptr);
    if (input->data != nullptr) std::memset(input->data, 0x5a, input->bytes);
  }
  tm_interpreter_invoke(&interpreter);
  return 0;
}
