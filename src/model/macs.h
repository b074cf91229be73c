// Multiply-accumulate counts per operator, the compute figure the profiler
// and `tierml inspect` report.
//
// Convention (one MAC = one multiply-add of an input by a weight; bias
// additions, requantization and activation clamps are not counted, as in the
// MLPerf Tiny figures):
//   CONV_2D            output elements * KH * KW * filter input channels
//   DEPTHWISE_CONV_2D  output elements * KH * KW
//   FULLY_CONNECTED    output elements * weights' input depth
//   TRANSPOSE_CONV     input elements * KH * KW * output channels
//   SVDF               batch * (feature weights + time weights elements)
//   UNIDIRECTIONAL_SEQUENCE_LSTM
//                      batch * time steps * (elements of every present
//                      input, recurrent, peephole and projection weight)
// Operators without weights count their own elementary operations:
//   AVERAGE/MAX_POOL_2D output elements * filter_w * filter_h
//   ADD, SUB, MUL      output elements
//   MEAN               input elements
// Everything else (activations, softmax, data movement, (de)quantize)
// counts 0. Shapes are taken from the graph as they are; an operator whose
// tensors are missing or inconsistent counts 0.
#ifndef TIERML_MODEL_MACS_H_
#define TIERML_MODEL_MACS_H_

#include <cstdint>

#include "model/graph.h"

namespace tierml::model {

int64_t operator_macs(const Graph& graph, const Operator& op);
int64_t total_macs(const Graph& graph);

}  // namespace tierml::model

#endif  // TIERML_MODEL_MACS_H_
