// The host's in-memory model: one subgraph of tensors and operators, owning
// every byte it refers to. The reader fills it from a verified .tflite file,
// the writer turns it back into one, and the planner, profiler and compiler
// work on it.
#ifndef TIERML_MODEL_GRAPH_H_
#define TIERML_MODEL_GRAPH_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tierml/builtin_ops.h"
#include "tierml/op_attrs.h"
#include "tierml/tensor.h"

namespace tierml::model {

// Largest model file the reader accepts and the writer produces. Far above
// any microcontroller or edge model, and well below the 2 GiB flatbuffers
// addressing limit; it bounds what reading an untrusted file can allocate.
inline constexpr int64_t kMaxModelBytes = int64_t{512} << 20;

// Affine quantization: real = scale * (q - zero_point). Empty scales: not
// quantized. One scale: per tensor. N scales: per channel along
// quantized_dimension (zero_points then has N entries too).
struct Quantization {
  std::vector<float> scales;
  std::vector<int64_t> zero_points;
  int32_t quantized_dimension = 0;

  bool is_quantized() const { return !scales.empty(); }
  bool operator==(const Quantization&) const = default;
};

struct Tensor {
  std::string name;
  TmType type = kTmFloat32;
  std::vector<int32_t> shape;  // empty for a scalar
  Quantization quantization;
  std::vector<uint8_t> data;  // constant bytes (little-endian); empty if none
  bool is_variable = false;   // state kept across invokes (SVDF, LSTM)

  bool is_constant() const { return !data.empty(); }
  bool operator==(const Tensor&) const = default;
};

// Compares the attributes that matter for the operator in a.op: two
// operators that decode and run the same compare equal even if unused union
// bytes differ.
bool attrs_equal(const TmOpAttrs& a, const TmOpAttrs& b);

struct Operator {
  TmBuiltinOp builtin_code = kTmOpAdd;
  int32_t version = 1;
  std::vector<int32_t> inputs;  // tensor indices, -1 for an absent input
  std::vector<int32_t> outputs;
  TmOpAttrs attrs = {};  // attrs.op == builtin_code

  bool operator==(const Operator& other) const;
};

struct Metadata {
  std::string name;
  std::vector<uint8_t> data;
  bool operator==(const Metadata&) const = default;
};

struct Graph {
  std::vector<Tensor> tensors;
  std::vector<Operator> operators;  // in execution order
  std::vector<int32_t> inputs;      // tensor indices
  std::vector<int32_t> outputs;
  std::vector<Metadata> metadata;
  std::string description;

  bool operator==(const Graph&) const = default;
};

// Number of elements of shape (1 for a scalar), or -1 if a dimension is
// negative or the product does not fit in int64.
int64_t element_count(const std::vector<int32_t>& shape);

// Bytes the tensor's elements take (INT4 packs two per byte), or -1 if the
// type has no fixed size or the shape is invalid.
int64_t tensor_bytes(const Tensor& tensor);

// Schema name of an operator code ("CONV_2D").
const char* op_name(int32_t builtin_code);

// Schema name of a type ("INT8").
const char* type_name(TmType type);

// "[1, 96, 96, 3]".
std::string shape_string(const std::vector<int32_t>& shape);

}  // namespace tierml::model

#endif  // TIERML_MODEL_GRAPH_H_
