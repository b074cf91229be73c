// The device interpreter: runs a .tflite blob in place, with no heap.
//
// init() verifies the blob, looks every operator up in the resolver, lays
// tensor descriptors and per-node state into the caller's arena, runs each
// operator's prepare, then plans activations and scratch buffers into the
// rest of the arena (arena_planner.h). A model occupies one contiguous region
// at the start of the arena:
//
//   [ persistent: tensors, nodes, op data, variable tensors | planned ]
//
// arena_bytes_needed() is the exact size of that region. When the arena is
// too small init fails with kTmErrorArenaTooSmall and arena_bytes_needed()
// still reports the need (exact once every prepare has run; otherwise a lower
// bound: retry with at least that much to learn the exact figure).
//
// Constant tensors are used in place in the blob, except the rare buffer
// that is misaligned for its element type, which gets an aligned copy in the
// persistent part (kernels load whole elements).
//
// Replacing the model at run time (replace_model) prepares the new blob in the
// part of the arena the running model does not use, and switches only once
// everything succeeded; on any failure the running model is untouched. An
// arena of twice the larger model's need always allows a replacement.
#ifndef TIERML_INTERPRETER_INTERPRETER_H_
#define TIERML_INTERPRETER_INTERPRETER_H_

#include <stddef.h>
#include <stdint.h>

#include "interpreter/op_context.h"
#include "interpreter/op_resolver.h"
#include "model/model_view.h"

namespace tierml {

struct InterpreterOptions {
  // Debug: every tensor gets its own arena bytes (no reuse), so the host can
  // read every intermediate tensor after invoke.
  bool preserve_all_tensors = false;
  // Constant weights laid out again at prepare for the CPU's fastest
  // kernels, where it has any (x86-64 hosts with AVX2; none on Cortex-M):
  // faster invokes, a bigger persistent part. Off, the arena is the one a
  // device needs (the profiler sizes device arenas from the host's).
  bool pack_weights = true;
};

class Interpreter {
 public:
  static constexpr size_t kErrorCapacity = 192;

  Interpreter() = default;
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  // blob and arena must outlive the interpreter (and the resolver too). On
  // failure the interpreter holds no model (ready() is false).
  TmStatus init(const uint8_t* blob, size_t blob_size, uint8_t* arena,
                size_t arena_bytes, const OpResolver* resolver,
                InterpreterOptions options = InterpreterOptions());

  // Verifies, prepares and plans new_blob in the arena space the current model
  // does not use; on success the new model replaces the old one (its state
  // starts fresh), on failure the old one keeps running unchanged.
  TmStatus replace_model(const uint8_t* new_blob, size_t blob_size);

  TmStatus invoke();
  // Zeroes variable tensors (int8 ones to their zero point, as TFLite does)
  // and clears operators' own state.
  TmStatus reset();

  bool ready() const { return model_.ready; }
  int num_inputs() const {
    return model_.ready ? model_.view.inputs().size : 0;
  }
  int num_outputs() const {
    return model_.ready ? model_.view.outputs().size : 0;
  }
  // nullptr for an index out of range or without a model.
  TmTensor* input(int i);
  TmTensor* output(int i);

  size_t arena_bytes_needed() const { return needed_bytes_; }
  size_t persistent_bytes() const { return model_.persistent_bytes; }
  size_t planned_bytes() const { return model_.planned_bytes; }
  // Where the model's bytes start in the caller's arena (after alignment, or
  // in the other part after a replace_model); nullptr without a model.
  const uint8_t* region() const { return model_.region; }
  const char* last_error() const { return error_; }

  // Introspection for the host (dumps, debugging, tests).
  const ModelView& model() const { return model_.view; }
  int32_t num_tensors() const { return model_.num_tensors; }
  TmTensor* tensor(int32_t index);
  int32_t num_nodes() const { return model_.num_nodes; }
  // The scratch buffer planned for a node (nullptr, 0 if none).
  void node_scratch(int32_t node, void** data, size_t* bytes) const;

 private:
  friend class OpContext;

  struct Node {
    OpContext ctx;
    const OpRegistration* registration;
    TmOpAttrs attrs;
  };

  struct Model {
    bool ready = false;
    ModelView view;
    InterpreterOptions options;
    uint8_t* region = nullptr;  // start of this model's bytes in the arena
    size_t persistent_bytes = 0;
    size_t planned_bytes = 0;
    TmTensor* tensors = nullptr;
    Node* nodes = nullptr;
    int32_t num_tensors = 0;
    int32_t num_nodes = 0;
  };

  // Everything a load needs; load writes only here, into the region and into
  // error_, so a failed load leaves the running model intact.
  struct Load {
    Model model;
    uint8_t* limit = nullptr;  // end of the region it may use
    size_t used = 0;           // persistent bytes so far
    bool exact = true;         // false once the need is only a lower bound
    size_t needed = 0;
  };

  TmStatus load(const uint8_t* blob, size_t blob_size, uint8_t* region,
                size_t region_bytes, InterpreterOptions options, Load& load);
  TmStatus bind_nodes(Load& load);
  TmStatus fill_tensors(Load& load);
  TmStatus prepare_nodes(Load& load);
  TmStatus plan(Load& load);
  void* allocate_persistent(size_t bytes);
  // The tensor an operator's context refers to: of the model being loaded
  // during prepare, of the running model otherwise.
  TmTensor* tensor_for_context(int32_t index) const;
  TmStatus arena_too_small(Load& load, size_t needed);
  void set_error(const char* format, ...);
  void reset_variables(Model& model);

  Model model_;
  const OpResolver* resolver_ = nullptr;
  uint8_t* arena_ = nullptr;
  size_t arena_bytes_ = 0;
  size_t needed_bytes_ = 0;
  Load* loading_ = nullptr;  // the load in progress (prepare only)
  char error_[kErrorCapacity] = {};
};

}  // namespace tierml

#endif  // TIERML_INTERPRETER_INTERPRETER_H_
