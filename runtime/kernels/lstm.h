/* UNIDIRECTIONAL_SEQUENCE_LSTM, the standard (Keras) LSTM TFLM runs: all four
 * gates, no peephole, no projection, no layer normalisation, no CIFG. The
 * hidden (output) state and the cell state are variable tensors updated in
 * place, so state carries over between invokes.
 *
 * Integer variants (TFLM's 8x8->16 and 16x8->16): int8 (or int16) input,
 * hidden state and output, int8 per-tensor weights, int32 (or int64)
 * biases, int16 cell state whose scale is a power of two. Gate
 * pre-activations are Q3.12, gate outputs Q0.15. */
#ifndef TIERML_KERNELS_LSTM_H_
#define TIERML_KERNELS_LSTM_H_

#include <stddef.h>
#include <stdint.h>

#include "tierml/op_attrs.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The operator's 24 inputs, in the schema's order. */
typedef enum {
  kTmLstmInput = 0,
  kTmLstmInputToInputWeights = 1,     /* 1..4: input, forget, cell, output */
  kTmLstmRecurrentToInputWeights = 5, /* 5..8: same gate order */
  kTmLstmCellToInputWeights = 9,      /* 9..11: peephole */
  kTmLstmInputGateBias = 12,          /* 12..15: same gate order */
  kTmLstmProjectionWeights = 16,
  kTmLstmProjectionBias = 17,
  kTmLstmOutputState = 18,
  kTmLstmCellState = 19,
  kTmLstmInputLayerNorm = 20, /* 20..23: layer norm coefficients */
  kTmLstmNumInputs = 24
} TmLstmInputIndex;

/* Gate order inside TmLstmParams and TmLstmWeights (the schema's). */
typedef enum {
  kTmLstmGateInput = 0,
  kTmLstmGateForget = 1,
  kTmLstmGateCell = 2,
  kTmLstmGateOutput = 3,
  kTmLstmNumGates = 4
} TmLstmGate;

/* One fully connected layer into a Q3.12 gate pre-activation. */
typedef struct {
  int32_t input_offset;   /* minus the zero point of the vector */
  int32_t weights_offset; /* minus the zero point of the weights */
  int32_t multiplier, shift;
} TmLstmFcQuant;

typedef struct {
  int32_t time_major, batches, time_steps, input_size, state_size;
  int32_t clip_cell; /* bool: cell_clip > 0 */
  /* Integer variant. */
  TmLstmFcQuant input_fc[kTmLstmNumGates];
  TmLstmFcQuant recurrent_fc[kTmLstmNumGates];
  int32_t forget_multiplier, forget_shift; /* forget gate x cell -> cell */
  int32_t update_multiplier, update_shift; /* input x cell gate -> cell */
  int32_t hidden_multiplier, hidden_shift, hidden_zero_point;
  int32_t tanh_multiplier, tanh_shift; /* cell state into tanh_s16 */
  int32_t quantized_cell_clip;
  /* float32 variant. */
  float cell_clip;
} TmLstmParams;

/* Constant tensors' data, per gate. */
typedef struct {
  const void* input_weights[kTmLstmNumGates];
  const void* recurrent_weights[kTmLstmNumGates];
  const void* biases[kTmLstmNumGates];
} TmLstmWeights;

/* inputs: kTmLstmNumInputs entries, NULL for an absent optional input. Checks
 * what TFLM checks, fills params and reports the bytes of the one scratch
 * buffer invoke needs. On failure *why (if why is not NULL) names the
 * unsupported feature or the failed check. */
TmStatus tm_lstm_prepare(const TmLstmAttrs* attrs,
                         const TmTensor* const* inputs, const TmTensor* output,
                         TmLstmParams* params, size_t* scratch_bytes,
                         const char** why);

void tm_lstm_s8(const TmLstmParams* p, const TmLstmWeights* w,
                const int8_t* input, int8_t* hidden_state, int16_t* cell_state,
                int8_t* output, void* scratch);
/* TFLM's 16x8 variant: int16 input, hidden state and output (zero point
 * 0), int8 weights, int64 biases, int64 accumulation. */
void tm_lstm_s16(const TmLstmParams* p, const TmLstmWeights* w,
                 const int16_t* input, int16_t* hidden_state,
                 int16_t* cell_state, int16_t* output, void* scratch);
void tm_lstm_f32(const TmLstmParams* p, const TmLstmWeights* w,
                 const float* input, float* hidden_state, float* cell_state,
                 float* output, void* scratch);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_LSTM_H_ */
