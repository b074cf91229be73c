// What one operator's emitter sees and produces. The emitter runs the
// kernel's prepare function on the host, then writes the params as const
// data and one kernel call; the context resolves tensors to C expressions
// (constant arrays or arena offsets from the memory plan) and collects the
// kernel sources the call needs.
#ifndef TIERML_CODEGEN_LAYER_CONTEXT_H_
#define TIERML_CODEGEN_LAYER_CONTEXT_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "codegen/c_literal.h"
#include "common/status.h"
#include "model/graph.h"
#include "plan/plan.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

namespace tierml::codegen {

// Everything generated for the whole model so far; shared by all layers.
struct CodeUnit {
  const model::Graph* graph = nullptr;
  const plan::Plan* plan = nullptr;
  std::vector<TmTensor> tensors;          // host descriptions, one per tensor
  std::vector<int32_t> buffer_of;         // tensor -> plan buffer index, -1
  std::map<int32_t, int32_t> scratch_of;  // operator -> plan buffer index

  std::string constants;          // constant tensors and derived arrays
  std::string definitions;        // params structs
  std::string body;               // statements of the run function
  std::set<std::string> kernels;  // runtime/kernels/*.cc the calls need
  std::map<int32_t, std::string> constant_names;  // tensor -> array name
  std::map<std::string, std::string> arrays;      // array text -> name
  int64_t constant_bytes = 0;
  bool uses_math_h = false;
};

class LayerContext {
 public:
  LayerContext(CodeUnit& unit, int32_t op_index);

  const model::Operator& op() const { return *op_; }
  int32_t index() const { return op_index_; }
  const char* op_name() const;
  int num_inputs() const { return static_cast<int>(op_->inputs.size()); }
  // nullptr for an absent optional input or an index past the end.
  const TmTensor* input(int i) const;
  const TmTensor* output(int i) const;
  int32_t input_tensor(int i) const;

  // C expressions for a tensor's data: a constant array name, or a typed
  // pointer into the arena ("(const int8_t*)(a + 512)"). "NULL" if absent.
  std::string in(int i);
  std::string out(int i);
  // A variable (state) input the kernel updates: a writable pointer.
  std::string state(int i);
  // "void*" into the arena for kernels that take untyped data.
  std::string in_void(int i);
  std::string out_void(int i);
  // The plan's scratch buffer for this operator, at least bytes long, cast
  // to ctype*; an error if the plan has none or too small a one.
  Expected<std::string> scratch(const char* ctype, int64_t bytes);
  // True when input i and output j live at the same arena offset.
  bool same_bytes(int i, int j) const;

  // File-scope const int32/int16 arrays (deduplicated by content); returns
  // the name to point at.
  std::string array_i32(const std::string& what,
                        const std::vector<int32_t>& values);
  std::string array_i16(const std::string& what,
                        const std::vector<int16_t>& values);
  // "n<op>_<what>"
  std::string name(const std::string& what) const;
  // static const <type> n<op>_params = <init>; returns "&n<op>_params".
  std::string params(const char* type, const Initializer& init,
                     size_t host_size);
  void define(const std::string& text) { unit_.definitions += text; }
  void statement(const std::string& text);
  void call(const std::string& function, const std::vector<std::string>& args);
  void kernel(const char* file) { unit_.kernels.insert(file); }

  int64_t constant_bytes() const { return constant_bytes_; }
  int64_t scratch_bytes() const { return scratch_bytes_; }

  // "node N (OP): reason" with the code the CLI maps to exit 3.
  Status unsupported(const std::string& reason) const;
  // A kernel prepare that failed although the interpreter accepted the node.
  Status prepare_failed(TmStatus status, const char* why = nullptr) const;

 private:
  std::string pointer(int32_t tensor, bool writable);
  std::string constant(int32_t tensor);

  CodeUnit& unit_;
  int32_t op_index_;
  const model::Operator* op_;
  int64_t constant_bytes_ = 0;
  int64_t scratch_bytes_ = 0;
};

// Emits one operator; unsupported() for an operator the compiler lacks.
Status emit_layer(LayerContext& ctx);

// Emitters per family (layer_*.cc).
Status emit_conv_family(LayerContext& ctx);
Status emit_elementwise(LayerContext& ctx);
Status emit_activation(LayerContext& ctx);
Status emit_data_movement(LayerContext& ctx);
Status emit_stateful(LayerContext& ctx);

}  // namespace tierml::codegen

#endif  // TIERML_CODEGEN_LAYER_CONTEXT_H_
