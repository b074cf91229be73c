// SVDF and UNIDIRECTIONAL_SEQUENCE_LSTM: their state lives in variable
// tensors, which the plan keeps in the arena for the model's lifetime and
// the generated reset function clears.
#include "codegen/layer_context.h"
#include "kernels/lstm.h"
#include "kernels/svdf.h"

namespace tierml::codegen {
namespace {

std::string activation_enumerator(TmActivation activation) {
  switch (activation) {
    case kTmActNone:
      return "kTmActNone";
    case kTmActRelu:
      return "kTmActRelu";
    case kTmActReluN1To1:
      return "kTmActReluN1To1";
    case kTmActRelu6:
      return "kTmActRelu6";
    case kTmActTanh:
      return "kTmActTanh";
    default:
      return "kTmActSignBit";
  }
}

Status emit_svdf(LayerContext& ctx) {
  TmSvdfParams p{};
  const char* why = "";
  const TmStatus status = tm_svdf_prepare(
      &ctx.op().attrs.u.svdf, ctx.input(0), ctx.input(1), ctx.input(2),
      ctx.input(3), ctx.input(4), ctx.output(0), &p, &why);
  if (status != kTmOk) return ctx.prepare_failed(status, why);
  Initializer init;
  init.i32("batches", p.batches)
      .i32("input_size", p.input_size)
      .i32("num_filters", p.num_filters)
      .i32("num_units", p.num_units)
      .i32("rank", p.rank)
      .i32("memory_size", p.memory_size)
      .i32("input_zero_point", p.input_zero_point)
      .i32("state_zero_point", p.state_zero_point)
      .i32("output_zero_point", p.output_zero_point)
      .i32("feature_multiplier", p.feature_multiplier)
      .i32("feature_shift", p.feature_shift)
      .i32("time_multiplier", p.time_multiplier)
      .i32("time_shift", p.time_shift)
      .field("activation", activation_enumerator(p.activation));
  const std::string params = ctx.params("TmSvdfParams", init, sizeof(p));
  ctx.kernel("svdf.cc");
  const char* function = ctx.input(0)->type == kTmFloat32 ? "tm_svdf_f32"
                         : ctx.input(2)->type == kTmInt16 ? "tm_svdf_s8_s16"
                                                          : "tm_svdf_s8_s8";
  ctx.call(function, {params, ctx.in(0), ctx.in(1), ctx.in(2), ctx.in(3),
                      ctx.state(4), ctx.out(0)});
  return Status::ok();
}

Initializer fc_quant(const TmLstmFcQuant& q) {
  Initializer init;
  init.i32("input_offset", q.input_offset)
      .i32("weights_offset", q.weights_offset)
      .i32("multiplier", q.multiplier)
      .i32("shift", q.shift);
  return init;
}

Status emit_lstm(LayerContext& ctx) {
  if (ctx.num_inputs() != kTmLstmNumInputs) {
    return ctx.unsupported("expects 24 inputs");
  }
  const TmTensor* inputs[kTmLstmNumInputs];
  for (int i = 0; i < kTmLstmNumInputs; ++i) inputs[i] = ctx.input(i);
  TmLstmParams p{};
  size_t scratch_bytes = 0;
  const char* why = "";
  const TmStatus status = tm_lstm_prepare(
      &ctx.op().attrs.u.lstm, inputs, ctx.output(0), &p, &scratch_bytes, &why);
  if (status != kTmOk) return ctx.prepare_failed(status, why);
  std::vector<Initializer> input_fc, recurrent_fc;
  std::string input_weights, recurrent_weights, biases;
  for (int g = 0; g < kTmLstmNumGates; ++g) {
    input_fc.push_back(fc_quant(p.input_fc[g]));
    recurrent_fc.push_back(fc_quant(p.recurrent_fc[g]));
    const int w = kTmLstmInputToInputWeights + g;
    const int r = kTmLstmRecurrentToInputWeights + g;
    const int b = kTmLstmInputGateBias + g;
    if (inputs[w] == nullptr || inputs[w]->data == nullptr ||
        inputs[r] == nullptr || inputs[r]->data == nullptr ||
        inputs[b] == nullptr || inputs[b]->data == nullptr) {
      return ctx.unsupported("weights and biases must be constant tensors");
    }
    const char* sep = g ? ", " : "";
    input_weights += sep;
    input_weights += ctx.in(w);
    recurrent_weights += sep;
    recurrent_weights += ctx.in(r);
    biases += sep;
    biases += ctx.in(b);
  }
  Initializer init;
  init.i32("time_major", p.time_major)
      .i32("batches", p.batches)
      .i32("time_steps", p.time_steps)
      .i32("input_size", p.input_size)
      .i32("state_size", p.state_size)
      .i32("clip_cell", p.clip_cell)
      .nested_list("input_fc", input_fc)
      .nested_list("recurrent_fc", recurrent_fc)
      .i32("forget_multiplier", p.forget_multiplier)
      .i32("forget_shift", p.forget_shift)
      .i32("update_multiplier", p.update_multiplier)
      .i32("update_shift", p.update_shift)
      .i32("hidden_multiplier", p.hidden_multiplier)
      .i32("hidden_shift", p.hidden_shift)
      .i32("hidden_zero_point", p.hidden_zero_point)
      .i32("tanh_multiplier", p.tanh_multiplier)
      .i32("tanh_shift", p.tanh_shift)
      .i32("quantized_cell_clip", p.quantized_cell_clip)
      .f32("cell_clip", p.cell_clip);
  const std::string params = ctx.params("TmLstmParams", init, sizeof(p));
  Initializer weights;
  weights.field("input_weights", "{" + input_weights + "}")
      .field("recurrent_weights", "{" + recurrent_weights + "}")
      .field("biases", "{" + biases + "}");
  const std::string weights_name = ctx.name("weights");
  ctx.define("static const TmLstmWeights " + weights_name + " = " +
             weights.str(0) + ";\n");
  ctx.kernel("lstm.cc");
  auto scratch = ctx.scratch("void", static_cast<int64_t>(scratch_bytes));
  if (!scratch) return scratch.status();
  const TmType type = ctx.input(0)->type;
  const char* function = type == kTmFloat32 ? "tm_lstm_f32"
                         : type == kTmInt16 ? "tm_lstm_s16"
                                            : "tm_lstm_s8";
  ctx.call(function, {params, "&" + weights_name, ctx.in(0),
                      ctx.state(kTmLstmOutputState),
                      ctx.state(kTmLstmCellState), ctx.out(0), *scratch});
  return Status::ok();
}

}  // namespace

Status emit_stateful(LayerContext& ctx) {
  switch (ctx.op().builtin_code) {
    case kTmOpSvdf:
      return emit_svdf(ctx);
    case kTmOpUnidirectionalSequenceLstm:
      return emit_lstm(ctx);
    default:
      return ctx.unsupported("not a stateful operator");
  }
}

Status emit_layer(LayerContext& ctx) {
  switch (ctx.op().builtin_code) {
    case kTmOpConv2d:
    case kTmOpDepthwiseConv2d:
    case kTmOpFullyConnected:
    case kTmOpTransposeConv:
      return emit_conv_family(ctx);
    case kTmOpAdd:
    case kTmOpSub:
    case kTmOpMul:
    case kTmOpPrelu:
      return emit_elementwise(ctx);
    case kTmOpRelu:
    case kTmOpRelu6:
    case kTmOpLogistic:
    case kTmOpTanh:
    case kTmOpHardSwish:
    case kTmOpLeakyRelu:
    case kTmOpSoftmax:
    case kTmOpQuantize:
    case kTmOpDequantize:
      return emit_activation(ctx);
    case kTmOpReshape:
    case kTmOpSqueeze:
    case kTmOpExpandDims:
    case kTmOpAveragePool2d:
    case kTmOpMaxPool2d:
    case kTmOpPad:
    case kTmOpPadV2:
    case kTmOpStridedSlice:
    case kTmOpTranspose:
    case kTmOpConcatenation:
    case kTmOpMean:
      return emit_data_movement(ctx);
    case kTmOpSvdf:
    case kTmOpUnidirectionalSequenceLstm:
      return emit_stateful(ctx);
    default:
      return ctx.unsupported("the compiler has no kernel for this operator");
  }
}

}  // namespace tierml::codegen
