/* C API of the device interpreter, for firmware authors.
 *
 *   static TmOpResolver resolver;
 *   static TmInterpreter interpreter;
 *   static uint8_t arena[32 * 1024] __attribute__((aligned(16)));
 *
 *   tm_resolver_init(&resolver);
 *   tm_resolver_add(&resolver, tm_op_conv_2d());      // only what the model
 * uses tm_resolver_add(&resolver, tm_op_fully_connected()); if
 * (tm_interpreter_init(&interpreter, model, model_size, arena, sizeof(arena),
 * &resolver) != kTmOk) { puts(tm_interpreter_last_error(&interpreter));
 *   }
 *   memcpy(tm_interpreter_input(&interpreter, 0)->data, features, n);
 *   tm_interpreter_invoke(&interpreter);
 *
 * No heap: the interpreter and resolver live in caller storage sized here;
 * the arena holds everything else. tm_interpreter_arena_bytes_needed() gives
 * the exact size after a successful init, and the need after a failed one
 * (see runtime/interpreter/interpreter.h for when that is a lower bound).
 * Each tm_op_*() getter references one kernel; with -ffunction-sections and
 * --gc-sections only the kernels a firmware adds are linked. */
#ifndef TIERML_INTERPRETER_C_API_H_
#define TIERML_INTERPRETER_C_API_H_

#include <stddef.h>
#include <stdint.h>

#include "tierml/builtin_ops.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Large enough for the interpreter on 32- and 64-bit targets; checked at
 * compile time by the implementation. */
#define TM_INTERPRETER_STORAGE_BYTES 512
#define TM_RESOLVER_STORAGE_BYTES 528

typedef struct {
  union {
    unsigned char bytes[TM_INTERPRETER_STORAGE_BYTES];
    uint64_t align_u64;
    void* align_pointer;
    double align_double;
  } storage;
} TmInterpreter;

typedef struct {
  union {
    unsigned char bytes[TM_RESOLVER_STORAGE_BYTES];
    uint64_t align_u64;
    void* align_pointer;
  } storage;
} TmOpResolver;

/* An operator's registration, as returned by the tm_op_*() getters. */
typedef struct TmOpRegistration TmOpRegistration;

void tm_resolver_init(TmOpResolver* resolver);
/* kTmErrorBadArgument when the resolver is full or registration is NULL. */
TmStatus tm_resolver_add(TmOpResolver* resolver,
                         const TmOpRegistration* registration);
/* Adds the operator by code; links every kernel (for hosts and tests). */
TmStatus tm_resolver_add_builtin(TmOpResolver* resolver, TmBuiltinOp op);

const TmOpRegistration* tm_op_add(void);
const TmOpRegistration* tm_op_average_pool_2d(void);
const TmOpRegistration* tm_op_concatenation(void);
const TmOpRegistration* tm_op_conv_2d(void);
const TmOpRegistration* tm_op_depthwise_conv_2d(void);
const TmOpRegistration* tm_op_dequantize(void);
const TmOpRegistration* tm_op_expand_dims(void);
const TmOpRegistration* tm_op_fully_connected(void);
const TmOpRegistration* tm_op_hard_swish(void);
const TmOpRegistration* tm_op_leaky_relu(void);
const TmOpRegistration* tm_op_logistic(void);
const TmOpRegistration* tm_op_max_pool_2d(void);
const TmOpRegistration* tm_op_mean(void);
const TmOpRegistration* tm_op_mul(void);
const TmOpRegistration* tm_op_pad(void);
const TmOpRegistration* tm_op_pad_v2(void);
const TmOpRegistration* tm_op_prelu(void);
const TmOpRegistration* tm_op_quantize(void);
const TmOpRegistration* tm_op_relu(void);
const TmOpRegistration* tm_op_relu6(void);
const TmOpRegistration* tm_op_reshape(void);
const TmOpRegistration* tm_op_softmax(void);
const TmOpRegistration* tm_op_squeeze(void);
const TmOpRegistration* tm_op_strided_slice(void);
const TmOpRegistration* tm_op_sub(void);
const TmOpRegistration* tm_op_svdf(void);
const TmOpRegistration* tm_op_tanh(void);
const TmOpRegistration* tm_op_transpose(void);
const TmOpRegistration* tm_op_transpose_conv(void);
const TmOpRegistration* tm_op_unidirectional_sequence_lstm(void);

/* blob, arena and resolver must outlive the interpreter. */
TmStatus tm_interpreter_init(TmInterpreter* interpreter, const uint8_t* blob,
                             size_t blob_size, uint8_t* arena,
                             size_t arena_bytes, const TmOpResolver* resolver);
TmStatus tm_interpreter_invoke(TmInterpreter* interpreter);
TmStatus tm_interpreter_reset(TmInterpreter* interpreter);
/* Verifies and prepares new_blob in the arena space the running model does
 * not use; the running model is untouched unless this returns kTmOk. */
TmStatus tm_interpreter_replace_model(TmInterpreter* interpreter,
                                      const uint8_t* new_blob,
                                      size_t blob_size);
int tm_interpreter_num_inputs(const TmInterpreter* interpreter);
int tm_interpreter_num_outputs(const TmInterpreter* interpreter);
/* NULL when index is out of range or no model is loaded. */
TmTensor* tm_interpreter_input(TmInterpreter* interpreter, int index);
TmTensor* tm_interpreter_output(TmInterpreter* interpreter, int index);
size_t tm_interpreter_arena_bytes_needed(const TmInterpreter* interpreter);
/* Describes the last failure ("" if none); valid until the next call. */
const char* tm_interpreter_last_error(const TmInterpreter* interpreter);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_INTERPRETER_C_API_H_ */
