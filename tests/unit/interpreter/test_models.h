// Small models and stand-in operators for the interpreter's own tests. The
// stand-ins are registered under real operator codes but compute simple
// byte functions that a plain reference evaluation below reproduces, so the
// tests check the interpreter (planning, dispatch, state) and not kernels.
#ifndef TIERML_TESTS_UNIT_INTERPRETER_TEST_MODELS_H_
#define TIERML_TESTS_UNIT_INTERPRETER_TEST_MODELS_H_

#include <cstdint>
#include <cstring>
#include <vector>

#include "interpreter/op_context.h"
#include "model/graph.h"
#include "model/writer.h"
#include "runtime_host/host_interpreter.h"

namespace tierml::testing {

// "Mix" (registered as MUL): output byte k = 7k + sum of input_i[k mod
// size_i], wrapping. It asks for a scratch buffer as large as its output and
// fills it at invoke, so a scratch buffer planned over a live tensor would
// corrupt the result.
inline uint8_t mix_byte(const std::vector<const std::vector<uint8_t>*>& ins,
                        size_t k) {
  uint32_t v = static_cast<uint32_t>(7 * k);
  for (const auto* in : ins) v += (*in)[k % in->size()];
  return static_cast<uint8_t>(v);
}

inline TmStatus mix_prepare(OpContext& ctx) {
  if (ctx.num_outputs() != 1 || ctx.num_inputs() < 1) {
    return ctx.fail(kTmErrorBadArgument, "mix needs inputs and one output");
  }
  ctx.request_scratch(ctx.output(0)->bytes);
  return kTmOk;
}

inline TmStatus mix_invoke(OpContext& ctx) {
  TmTensor* out = ctx.output(0);
  std::memset(ctx.scratch(), 0xA5, out->bytes);
  uint8_t* o = static_cast<uint8_t*>(out->data);
  for (size_t k = 0; k < out->bytes; ++k) {
    uint32_t v = static_cast<uint32_t>(7 * k);
    for (int i = 0; i < ctx.num_inputs(); ++i) {
      const TmTensor* in = ctx.input(i);
      v += static_cast<const uint8_t*>(in->data)[k % in->bytes];
    }
    o[k] = static_cast<uint8_t>(v);
  }
  return kTmOk;
}

inline const OpRegistration kMix = {kTmOpMul, mix_prepare, mix_invoke, nullptr};

// "Accumulate" (registered as SVDF): inputs (x, state), state += x, output =
// state, all int8 of one size. Takes persistent op data, counts resets.
inline int accumulate_resets = 0;

inline TmStatus accumulate_prepare(OpContext& ctx) {
  auto* marker = static_cast<int32_t*>(ctx.allocate_persistent(4));
  if (marker == nullptr) return kTmErrorArenaTooSmall;
  *marker = 0x5EED;
  ctx.set_op_data(marker);
  return kTmOk;
}

inline TmStatus accumulate_invoke(OpContext& ctx) {
  const TmTensor* x = ctx.input(0);
  TmTensor* state = ctx.input(1);
  TmTensor* out = ctx.output(0);
  for (size_t k = 0; k < out->bytes; ++k) {
    int8_t& s = static_cast<int8_t*>(state->data)[k];
    s = static_cast<int8_t>(s + static_cast<const int8_t*>(x->data)[k]);
    static_cast<int8_t*>(out->data)[k] = s;
  }
  return kTmOk;
}

inline TmStatus accumulate_reset(OpContext& ctx) {
  if (*static_cast<int32_t*>(ctx.op_data()) != 0x5EED) {
    return ctx.fail(kTmErrorBadArgument, "op data lost");
  }
  ++accumulate_resets;
  return kTmOk;
}

inline const OpRegistration kAccumulate = {kTmOpSvdf, accumulate_prepare,
                                           accumulate_invoke, accumulate_reset};

inline model::Tensor int8_tensor(int32_t size) {
  model::Tensor t;
  t.type = kTmInt8;
  t.shape = {1, size};
  t.quantization.scales = {0.5f};
  t.quantization.zero_points = {0};
  return t;
}

inline model::Operator make_op(TmBuiltinOp code, std::vector<int32_t> inputs,
                               std::vector<int32_t> outputs) {
  model::Operator op;
  op.builtin_code = code;
  op.inputs = std::move(inputs);
  op.outputs = std::move(outputs);
  op.attrs.op = code;
  if (code == kTmOpMul) op.attrs.u.elementwise.pot_scale_int16 = 1;
  if (code == kTmOpSvdf) op.attrs.u.svdf.rank = 1;
  return op;
}

// A graph of mix operators with skip connections, two outputs and one
// constant, sized so that lifetimes overlap in several ways.
inline model::Graph mix_graph() {
  model::Graph g;
  for (int32_t size : {64, 200, 50, 300, 120, 90, 10}) {
    g.tensors.push_back(int8_tensor(size));
  }
  model::Tensor weights = int8_tensor(16);
  for (int i = 0; i < 16; ++i)
    weights.data.push_back(static_cast<uint8_t>(3 * i + 1));
  g.tensors.push_back(weights);  // tensor 7
  g.operators = {make_op(kTmOpMul, {0}, {1}),    make_op(kTmOpMul, {1}, {2}),
                 make_op(kTmOpMul, {0, 2}, {3}), make_op(kTmOpMul, {3, 7}, {4}),
                 make_op(kTmOpMul, {1, 4}, {5}), make_op(kTmOpMul, {5}, {6})};
  g.inputs = {0};
  g.outputs = {6, 2};
  return g;
}

// Every tensor's value after running g on input, by plain evaluation.
inline std::vector<std::vector<uint8_t>> evaluate_mix(
    const model::Graph& g, const std::vector<uint8_t>& input) {
  std::vector<std::vector<uint8_t>> values(g.tensors.size());
  for (size_t t = 0; t < g.tensors.size(); ++t) values[t] = g.tensors[t].data;
  values[g.inputs[0]] = input;
  for (const model::Operator& op : g.operators) {
    std::vector<const std::vector<uint8_t>*> ins;
    for (int32_t i : op.inputs) ins.push_back(&values[i]);
    const int64_t bytes = model::tensor_bytes(g.tensors[op.outputs[0]]);
    std::vector<uint8_t> out(static_cast<size_t>(bytes));
    for (size_t k = 0; k < out.size(); ++k) out[k] = mix_byte(ins, k);
    values[op.outputs[0]] = out;
  }
  return values;
}

inline std::vector<uint8_t> blob_of(const model::Graph& g) {
  auto blob = model::write_model(g);
  return blob ? std::move(*blob) : std::vector<uint8_t>();
}

}  // namespace tierml::testing

#endif  // TIERML_TESTS_UNIT_INTERPRETER_TEST_MODELS_H_
