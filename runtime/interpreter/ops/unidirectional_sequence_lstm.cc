// UNIDIRECTIONAL_SEQUENCE_LSTM: 24 inputs (many optional), the output state
// (18) and cell state (19) are variable tensors the interpreter keeps and
// zeroes on reset, so the op data holds no state. One scratch buffer holds
// the four gate-sized work areas.
#include "interpreter/ops/registrations.h"
#include "kernels/lstm.h"

namespace tierml {
namespace {

struct LstmOpData {
  TmLstmParams params;
  TmLstmWeights weights;
};

TmStatus lstm_prepare(OpContext& ctx) {
  if (ctx.num_inputs() != kTmLstmNumInputs || ctx.num_outputs() != 1) {
    return ctx.fail(kTmErrorMalformedModel,
                    "expects 24 inputs and 1 output, got %d and %d",
                    static_cast<int32_t>(ctx.num_inputs()),
                    static_cast<int32_t>(ctx.num_outputs()));
  }
  const TmTensor* inputs[kTmLstmNumInputs];
  for (int i = 0; i < kTmLstmNumInputs; ++i) inputs[i] = ctx.input(i);
  LstmOpData* data =
      static_cast<LstmOpData*>(ctx.allocate_persistent(sizeof(LstmOpData)));
  if (data == nullptr) return kTmErrorArenaTooSmall;
  size_t scratch_bytes = 0;
  const char* why = "";
  const TmStatus status =
      tm_lstm_prepare(&ctx.attrs().u.lstm, inputs, ctx.output(0), &data->params,
                      &scratch_bytes, &why);
  if (status != kTmOk) return ctx.fail(status, "%s", why);
  for (int g = 0; g < kTmLstmNumGates; ++g) {
    const TmTensor* input_weights = inputs[kTmLstmInputToInputWeights + g];
    const TmTensor* recurrent = inputs[kTmLstmRecurrentToInputWeights + g];
    const TmTensor* bias = inputs[kTmLstmInputGateBias + g];
    if (input_weights->data == nullptr || recurrent->data == nullptr ||
        bias->data == nullptr) {
      return ctx.fail(kTmErrorUnsupported,
                      "weights and biases must be constant tensors");
    }
    data->weights.input_weights[g] = input_weights->data;
    data->weights.recurrent_weights[g] = recurrent->data;
    data->weights.biases[g] = bias->data;
  }
  ctx.request_scratch(scratch_bytes);
  ctx.set_op_data(data);
  return kTmOk;
}

TmStatus lstm_invoke(OpContext& ctx) {
  const LstmOpData* d = static_cast<const LstmOpData*>(ctx.op_data());
  const TmTensor* input = ctx.input(kTmLstmInput);
  TmTensor* hidden = ctx.input(kTmLstmOutputState);
  TmTensor* cell = ctx.input(kTmLstmCellState);
  void* out = ctx.output(0)->data;
  if (input->type == kTmFloat32) {
    tm_lstm_f32(&d->params, &d->weights, static_cast<const float*>(input->data),
                static_cast<float*>(hidden->data),
                static_cast<float*>(cell->data), static_cast<float*>(out),
                ctx.scratch());
  } else if (input->type == kTmInt16) {
    tm_lstm_s16(
        &d->params, &d->weights, static_cast<const int16_t*>(input->data),
        static_cast<int16_t*>(hidden->data), static_cast<int16_t*>(cell->data),
        static_cast<int16_t*>(out), ctx.scratch());
  } else {
    tm_lstm_s8(&d->params, &d->weights, static_cast<const int8_t*>(input->data),
               static_cast<int8_t*>(hidden->data),
               static_cast<int16_t*>(cell->data), static_cast<int8_t*>(out),
               ctx.scratch());
  }
  return kTmOk;
}

}  // namespace

const OpRegistration kOpUnidirectionalSequenceLstm = {
    kTmOpUnidirectionalSequenceLstm, lstm_prepare, lstm_invoke, nullptr};

}  // namespace tierml
