/* What the host generates for one compiled model (src/target/firmware_builder.cc:
 * model.c by tierml's code generator, named "model", and glue.c around it) and
 * the compiled engine's profiling firmware (profile_compiled_main.cc) links
 * against. */
#ifndef TIERML_TARGETS_COMPILED_FIRMWARE_H_
#define TIERML_TARGETS_COMPILED_FIRMWARE_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The model's inputs and outputs (glue.c), each its own typed buffer, in the
 * order of the generated API. */
extern void* const tm_inputs[];
extern const size_t tm_input_bytes[];
extern const int tm_num_inputs;
extern void* const tm_outputs[];
extern const size_t tm_output_bytes[];
extern const int tm_num_outputs;

/* The arena, as the compiler's memory plan sizes it. */
extern uint8_t tm_arena[];
extern const size_t tm_arena_bytes;

/* Clears the model's state (a no-op for a model without state). */
void tm_compiled_reset(void);
/* model_invoke_with_arena on tm_arena and the buffers above; 0 on success. */
int tm_compiled_invoke(void);
/* The same with model_layer_begin()/model_layer_end() around each layer. */
int tm_compiled_invoke_layers(void);

/* The per-layer hooks the generated code calls (profile_compiled_main.cc). */
void model_layer_begin(void);
void model_layer_end(void);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_TARGETS_COMPILED_FIRMWARE_H_ */
