#include "interpreter/interpreter.h"

#include <stdarg.h>
#include <string.h>

#include "interpreter/arena_planner.h"
#include "model/format.h"

namespace tierml {
namespace {

constexpr int32_t kNoUse = 0x7FFFFFFF;

uint8_t* align_pointer(uint8_t* p) {
  const uintptr_t address = reinterpret_cast<uintptr_t>(p);
  return p + (align_up(address) - address);
}

// Element count times element size, false on a negative dimension or a size
// that does not fit in 31 bits (no device arena is that large).
bool tensor_bytes(const TmShape& shape, TmType type, size_t* bytes) {
  const size_t element = tm_type_size(type);
  uint64_t total = element;
  for (int32_t d = 0; d < shape.rank; ++d) {
    if (shape.dims[d] < 0) return false;
    total *= static_cast<uint64_t>(shape.dims[d]);
    if (total > 0x7FFFFFFF) return false;
  }
  *bytes = static_cast<size_t>(total);
  return true;
}

bool aligned_for(const void* data, TmType type) {
  size_t alignment = tm_type_size(type);
  if (alignment > 8) alignment = 8;
  if (alignment == 0) alignment = 1;
  return reinterpret_cast<uintptr_t>(data) % alignment == 0;
}

}  // namespace

void Interpreter::set_error(const char* format, ...) {
  va_list args;
  va_start(args, format);
  tm_format(error_, sizeof(error_), format, args);
  va_end(args);
}

TmStatus Interpreter::init(const uint8_t* blob, size_t blob_size,
                           uint8_t* arena, size_t arena_bytes,
                           const OpResolver* resolver,
                           InterpreterOptions options) {
  model_ = Model();
  needed_bytes_ = 0;
  error_[0] = '\0';
  if (blob == nullptr || arena == nullptr || resolver == nullptr) {
    set_error("init: blob, arena and resolver must not be null");
    return kTmErrorBadArgument;
  }
  resolver_ = resolver;
  arena_ = arena;
  arena_bytes_ = arena_bytes;
  uint8_t* start = align_pointer(arena);
  const size_t skipped = static_cast<size_t>(start - arena);
  const size_t usable = arena_bytes > skipped ? arena_bytes - skipped : 0;
  Load staged;
  const TmStatus status = load(blob, blob_size, start, usable, options, staged);
  needed_bytes_ = staged.needed;
  if (status != kTmOk) return status;
  model_ = staged.model;
  return kTmOk;
}

TmStatus Interpreter::replace_model(const uint8_t* new_blob, size_t blob_size) {
  if (!model_.ready) {
    set_error("replace_model: no model is running; call init first");
    return kTmErrorNotReady;
  }
  if (new_blob == nullptr) {
    set_error("replace_model: blob must not be null");
    return kTmErrorBadArgument;
  }
  // The running model owns [region, region + needed); use the larger free
  // side of the arena for the new one.
  uint8_t* const arena_start = align_pointer(arena_);
  uint8_t* const arena_end = arena_ + arena_bytes_;
  uint8_t* const low = arena_start;
  const size_t low_bytes = static_cast<size_t>(model_.region - arena_start);
  uint8_t* const high = align_pointer(model_.region + needed_bytes_);
  const size_t high_bytes =
      high < arena_end ? static_cast<size_t>(arena_end - high) : 0;
  uint8_t* const region = high_bytes >= low_bytes ? high : low;
  const size_t region_bytes = high_bytes >= low_bytes ? high_bytes : low_bytes;

  Load staged;
  const TmStatus status =
      load(new_blob, blob_size, region, region_bytes, model_.options, staged);
  if (status != kTmOk) return status;
  model_ = staged.model;
  needed_bytes_ = staged.needed;
  return kTmOk;
}

TmStatus Interpreter::load(const uint8_t* blob, size_t blob_size,
                           uint8_t* region, size_t region_bytes,
                           InterpreterOptions options, Load& load) {
  load.model.region = region;
  load.model.options = options;
  load.limit = region + region_bytes;
  const TmStatus verified = load.model.view.init(
      blob, blob_size, ErrorBuffer{error_, sizeof(error_)});
  if (verified != kTmOk) return verified;
  load.model.num_tensors = load.model.view.num_tensors();
  load.model.num_nodes = load.model.view.num_operators();

  TmStatus status = bind_nodes(load);
  if (status == kTmOk) status = fill_tensors(load);
  if (status == kTmOk) {
    loading_ = &load;
    status = prepare_nodes(load);
    loading_ = nullptr;
  }
  if (status == kTmOk) status = plan(load);
  if (status != kTmOk) return status;
  reset_variables(load.model);
  load.model.ready = true;
  return kTmOk;
}

void* Interpreter::allocate_persistent(size_t bytes) {
  Load* load = loading_;
  if (load == nullptr) return nullptr;
  const size_t start = align_up(load->used);
  const size_t end = start + align_up(bytes);
  const size_t capacity = static_cast<size_t>(load->limit - load->model.region);
  if (end > capacity || end < start) {
    // Remember the shortfall; prepare stops here, so the need is a bound.
    if (load->exact) {
      load->exact = false;
      load->needed = end;
    }
    return nullptr;
  }
  load->used = end;
  return load->model.region + start;
}

TmStatus Interpreter::arena_too_small(Load& load, size_t needed) {
  load.needed = needed;
  const size_t have = static_cast<size_t>(load.limit - load.model.region);
  if (load.exact) {
    set_error("arena too small: the model needs %zu bytes, %zu available",
              needed, have);
  } else {
    set_error(
        "arena too small: the model needs at least %zu bytes, %zu available",
        needed, have);
  }
  return kTmErrorArenaTooSmall;
}

TmStatus Interpreter::bind_nodes(Load& load) {
  const ModelView& view = load.model.view;
  // Check every operator before using any memory, so a missing kernel is
  // reported whatever the arena size.
  for (int32_t i = 0; i < load.model.num_nodes; ++i) {
    const int32_t code = view.op(i).builtin_code;
    if (resolver_->find(code) == nullptr) {
      set_error(
          "node %d (%s): operator not registered in this firmware's resolver",
          i, tm_builtin_op_name(code));
      return kTmErrorUnsupported;
    }
  }
  Load* previous = loading_;
  loading_ = &load;
  load.model.nodes = static_cast<Node*>(allocate_persistent(
      sizeof(Node) * static_cast<size_t>(load.model.num_nodes)));
  loading_ = previous;
  if (load.model.nodes == nullptr && load.model.num_nodes > 0) {
    return arena_too_small(load, load.needed);
  }
  for (int32_t i = 0; i < load.model.num_nodes; ++i) {
    const OperatorView op = view.op(i);
    Node& node = load.model.nodes[i];
    node.registration = resolver_->find(op.builtin_code);
    node.attrs = op.attrs;
    node.attrs.op = static_cast<TmBuiltinOp>(op.builtin_code);
    node.ctx = OpContext();
    node.ctx.interpreter_ = this;
    node.ctx.node_index_ = i;
    node.ctx.attrs_ = &node.attrs;
    node.ctx.inputs_ = op.inputs.data;
    node.ctx.outputs_ = op.outputs.data;
    node.ctx.num_inputs_ = op.inputs.size;
    node.ctx.num_outputs_ = op.outputs.size;
  }
  return kTmOk;
}

TmStatus Interpreter::fill_tensors(Load& load) {
  const ModelView& view = load.model.view;
  Load* previous = loading_;
  loading_ = &load;
  load.model.tensors = static_cast<TmTensor*>(allocate_persistent(
      sizeof(TmTensor) * static_cast<size_t>(load.model.num_tensors)));
  loading_ = previous;
  if (load.model.tensors == nullptr && load.model.num_tensors > 0) {
    return arena_too_small(load, load.needed);
  }
  for (int32_t t = 0; t < load.model.num_tensors; ++t) {
    const TensorView v = view.tensor(t);
    TmTensor& tensor = load.model.tensors[t];
    tensor.type = v.type;
    tensor.shape = v.shape;
    tensor.quant = v.quant;
    tensor.data = nullptr;
    if (v.data != nullptr && !v.is_variable) {
      // Weights stay in the blob; kernels only read them.
      tensor.data = const_cast<uint8_t*>(v.data);
      tensor.bytes = v.data_bytes;
      if (!aligned_for(v.data, v.type)) {
        // Some converters leave buffers misaligned for their type (an int64
        // bias at 4 mod 8); kernels may load whole elements, so those few
        // get an aligned copy.
        loading_ = &load;
        void* copy = allocate_persistent(v.data_bytes);
        loading_ = previous;
        if (copy == nullptr) return arena_too_small(load, load.needed);
        memcpy(copy, v.data, v.data_bytes);
        tensor.data = copy;
      }
      continue;
    }
    if (!tensor_bytes(v.shape, v.type, &tensor.bytes)) {
      set_error("tensor %d: dynamic or oversized shape is not supported", t);
      return kTmErrorUnsupported;
    }
    if (v.is_variable) {
      loading_ = &load;
      tensor.data = allocate_persistent(tensor.bytes);
      loading_ = previous;
      if (tensor.data == nullptr && tensor.bytes > 0) {
        return arena_too_small(load, load.needed);
      }
    }
  }
  return kTmOk;
}

TmStatus Interpreter::prepare_nodes(Load& load) {
  for (int32_t i = 0; i < load.model.num_nodes; ++i) {
    Node& node = load.model.nodes[i];
    if (node.registration->prepare == nullptr) continue;
    error_[0] = '\0';
    const TmStatus status = node.registration->prepare(node.ctx);
    if (!load.exact) return arena_too_small(load, load.needed);
    if (status != kTmOk) {
      if (error_[0] == '\0') {
        set_error("node %d (%s): prepare failed", i,
                  tm_builtin_op_name(node.attrs.op));
      }
      return status;
    }
  }
  return kTmOk;
}

TmStatus Interpreter::plan(Load& load) {
  Model& m = load.model;
  const ModelView& view = m.view;
  const int32_t last_op = m.num_nodes > 0 ? m.num_nodes - 1 : 0;
  const size_t persistent = align_up(load.used);
  uint8_t* const temp = m.region + persistent;
  const size_t capacity = static_cast<size_t>(load.limit - m.region);
  const size_t available = capacity > persistent ? capacity - persistent : 0;

  // Temporary working memory right after the persistent part: one candidate
  // buffer per tensor and per node, then the planner's own work area.
  const int32_t max_buffers = m.num_tensors + m.num_nodes;
  const size_t list_bytes =
      align_up(sizeof(PlanBuffer) * static_cast<size_t>(max_buffers));
  const size_t temp_bytes = list_bytes + arena_planner_work_bytes(max_buffers);
  if (temp_bytes > available) {
    load.exact = false;
    return arena_too_small(load, persistent + temp_bytes);
  }
  PlanBuffer* buffers = reinterpret_cast<PlanBuffer*>(temp);
  for (int32_t t = 0; t < m.num_tensors; ++t) {
    buffers[t] = PlanBuffer();
    buffers[t].first = kNoUse;
    buffers[t].last = -1;
  }
  auto touch = [&](int32_t t, int32_t when) {
    if (t < 0) return;
    if (when < buffers[t].first) buffers[t].first = when;
    if (when > buffers[t].last) buffers[t].last = when;
  };
  for (int32_t i = 0; i < m.num_nodes; ++i) {
    const OperatorView op = view.op(i);
    for (int32_t k = 0; k < op.inputs.size; ++k) touch(op.inputs[k], i);
    for (int32_t k = 0; k < op.outputs.size; ++k) touch(op.outputs[k], i);
  }
  for (int32_t k = 0; k < view.inputs().size; ++k) touch(view.inputs()[k], 0);
  for (int32_t k = 0; k < view.outputs().size; ++k) {
    touch(view.outputs()[k], last_op);
  }

  // Keep the tensors that need arena bytes, in index order, then scratch.
  auto planned = [&](int32_t t) {
    return m.tensors[t].data == nullptr && buffers[t].last >= 0 &&
           m.tensors[t].bytes > 0 && !view.tensor(t).is_variable;
  };
  int32_t count = 0;
  for (int32_t t = 0; t < m.num_tensors; ++t) {
    if (!planned(t)) continue;
    PlanBuffer b = buffers[t];
    b.id = t;
    b.bytes = m.tensors[t].bytes;
    if (m.options.preserve_all_tensors) {
      b.first = 0;
      b.last = last_op;
    }
    buffers[count++] = b;
  }
  for (int32_t i = 0; i < m.num_nodes; ++i) {
    if (m.nodes[i].ctx.scratch_bytes_ == 0) continue;
    PlanBuffer b;
    b.id = -(i + 1);
    b.bytes = m.nodes[i].ctx.scratch_bytes_;
    b.first = i;
    b.last = i;
    buffers[count++] = b;
  }
  const size_t peak =
      plan_buffers(buffers, count, temp + list_bytes, available - list_bytes);
  m.persistent_bytes = persistent;
  m.planned_bytes = peak;
  const size_t needed = persistent + (peak > temp_bytes ? peak : temp_bytes);
  if (needed > capacity) return arena_too_small(load, needed);
  load.needed = needed;

  uint8_t* const base = temp;
  for (int32_t k = 0; k < count; ++k) {
    uint8_t* data = base + buffers[k].offset;
    if (buffers[k].id >= 0) {
      m.tensors[buffers[k].id].data = data;
    } else {
      m.nodes[-buffers[k].id - 1].ctx.scratch_ = data;
    }
  }
  return kTmOk;
}

void Interpreter::reset_variables(Model& model) {
  for (int32_t t = 0; t < model.num_tensors; ++t) {
    if (!model.view.tensor(t).is_variable) continue;
    TmTensor& tensor = model.tensors[t];
    const int value = tensor.type == kTmInt8 ? tensor.quant.zero_point : 0;
    memset(tensor.data, value, tensor.bytes);
  }
}

TmStatus Interpreter::invoke() {
  if (!model_.ready) {
    set_error("invoke: no model loaded (init failed or was not called)");
    return kTmErrorNotReady;
  }
  for (int32_t i = 0; i < model_.num_nodes; ++i) {
    Node& node = model_.nodes[i];
    error_[0] = '\0';
    const TmStatus status = node.registration->invoke(node.ctx);
    if (status != kTmOk) {
      if (error_[0] == '\0') {
        set_error("node %d (%s): invoke failed", i,
                  tm_builtin_op_name(node.attrs.op));
      }
      return status;
    }
  }
  return kTmOk;
}

TmStatus Interpreter::reset() {
  if (!model_.ready) {
    set_error("reset: no model loaded (init failed or was not called)");
    return kTmErrorNotReady;
  }
  reset_variables(model_);
  for (int32_t i = 0; i < model_.num_nodes; ++i) {
    Node& node = model_.nodes[i];
    if (node.registration->reset == nullptr) continue;
    const TmStatus status = node.registration->reset(node.ctx);
    if (status != kTmOk) return status;
  }
  return kTmOk;
}

TmTensor* Interpreter::input(int i) {
  if (i < 0 || i >= num_inputs()) return nullptr;
  return &model_.tensors[model_.view.inputs()[i]];
}

TmTensor* Interpreter::output(int i) {
  if (i < 0 || i >= num_outputs()) return nullptr;
  return &model_.tensors[model_.view.outputs()[i]];
}

TmTensor* Interpreter::tensor(int32_t index) {
  if (!model_.ready || index < 0 || index >= model_.num_tensors) return nullptr;
  return &model_.tensors[index];
}

void Interpreter::node_scratch(int32_t node, void** data, size_t* bytes) const {
  *data = nullptr;
  *bytes = 0;
  if (!model_.ready || node < 0 || node >= model_.num_nodes) return;
  *data = model_.nodes[node].ctx.scratch_;
  *bytes = model_.nodes[node].ctx.scratch_bytes_;
}

}  // namespace tierml
