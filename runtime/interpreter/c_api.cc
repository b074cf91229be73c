#include <stddef.h>

#include "interpreter/interpreter.h"
#include "interpreter/op_resolver.h"
#include "tierml/interpreter.h"

// Constructs objects in the caller's storage. A tagged placement form, since
// freestanding toolchains may lack <new>.
struct InPlace {};
inline void* operator new(size_t, void* where, InPlace) noexcept {
  return where;
}

namespace {

using tierml::Interpreter;
using tierml::OpRegistration;
using tierml::OpResolver;

static_assert(sizeof(Interpreter) <= TM_INTERPRETER_STORAGE_BYTES,
              "raise TM_INTERPRETER_STORAGE_BYTES");
static_assert(alignof(Interpreter) <= alignof(TmInterpreter),
              "TmInterpreter is not aligned enough");
static_assert(sizeof(OpResolver) <= TM_RESOLVER_STORAGE_BYTES,
              "raise TM_RESOLVER_STORAGE_BYTES");
static_assert(alignof(OpResolver) <= alignof(TmOpResolver),
              "TmOpResolver is not aligned enough");

Interpreter* self(TmInterpreter* interpreter) {
  return reinterpret_cast<Interpreter*>(interpreter->storage.bytes);
}
const Interpreter* self(const TmInterpreter* interpreter) {
  return reinterpret_cast<const Interpreter*>(interpreter->storage.bytes);
}
OpResolver* self(TmOpResolver* resolver) {
  return reinterpret_cast<OpResolver*>(resolver->storage.bytes);
}
const OpResolver* self(const TmOpResolver* resolver) {
  return reinterpret_cast<const OpResolver*>(resolver->storage.bytes);
}

}  // namespace

extern "C" {

void tm_resolver_init(TmOpResolver* resolver) {
  new (resolver->storage.bytes, InPlace()) OpResolver();
}

TmStatus tm_resolver_add(TmOpResolver* resolver,
                         const TmOpRegistration* registration) {
  return self(resolver)->add(
      reinterpret_cast<const OpRegistration*>(registration));
}

TmStatus tm_interpreter_init(TmInterpreter* interpreter, const uint8_t* blob,
                             size_t blob_size, uint8_t* arena,
                             size_t arena_bytes, const TmOpResolver* resolver) {
  Interpreter* it = new (interpreter->storage.bytes, InPlace()) Interpreter();
  return it->init(blob, blob_size, arena, arena_bytes,
                  resolver != nullptr ? self(resolver) : nullptr);
}

TmStatus tm_interpreter_invoke(TmInterpreter* interpreter) {
  return self(interpreter)->invoke();
}

TmStatus tm_interpreter_reset(TmInterpreter* interpreter) {
  return self(interpreter)->reset();
}

TmStatus tm_interpreter_replace_model(TmInterpreter* interpreter,
                                      const uint8_t* new_blob,
                                      size_t blob_size) {
  return self(interpreter)->replace_model(new_blob, blob_size);
}

int tm_interpreter_num_inputs(const TmInterpreter* interpreter) {
  return self(interpreter)->num_inputs();
}

int tm_interpreter_num_outputs(const TmInterpreter* interpreter) {
  return self(interpreter)->num_outputs();
}

TmTensor* tm_interpreter_input(TmInterpreter* interpreter, int index) {
  return self(interpreter)->input(index);
}

TmTensor* tm_interpreter_output(TmInterpreter* interpreter, int index) {
  return self(interpreter)->output(index);
}

size_t tm_interpreter_arena_bytes_needed(const TmInterpreter* interpreter) {
  return self(interpreter)->arena_bytes_needed();
}

const char* tm_interpreter_last_error(const TmInterpreter* interpreter) {
  return self(interpreter)->last_error();
}

}  // extern "C"
