/* What the host generates for one model (src/target/firmware_builder.cc) and
 * the profiling firmware (profile_main.cc) links against. */
#ifndef TIERML_TARGETS_PROFILE_FIRMWARE_H_
#define TIERML_TARGETS_PROFILE_FIRMWARE_H_

#include <stddef.h>
#include <stdint.h>

#include "tierml/interpreter.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The model blob, in flash (model_blob.S: .incbin of the .tflite file). */
extern const uint8_t tm_model_start[];
extern const uint8_t tm_model_end[];

/* The operators the model uses, one getter each (model_ops.c), so that the
 * linker keeps only those kernels. */
extern const TmOpRegistration* (*const tm_model_ops[])(void);
extern const int tm_model_op_count;

/* The arena (arena.c), sized by the interpreter's own figure for this model
 * on this target. */
extern uint8_t tm_arena[];
extern const size_t tm_arena_bytes;

#ifdef __cplusplus
}
#endif

#endif /* TIERML_TARGETS_PROFILE_FIRMWARE_H_ */
