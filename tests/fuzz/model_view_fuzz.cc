// libFuzzer target: ModelView::init on arbitrary bytes, then every accessor
// a caller may use after a successful init, checking the promises init
// makes (indices in range, data inside the blob, messages on failure).
#include <cstdint>
#include <cstring>
#include <memory>

#include "model/model_view.h"
#include "tierml/builtin_ops.h"

namespace {

// Reads every byte of [p, p + n) so ASan sees any stray pointer.
uint32_t touch(const void* p, size_t n) {
  const auto* bytes = static_cast<const uint8_t*>(p);
  uint32_t sum = 0;
  for (size_t i = 0; i < n; ++i) sum += bytes[i];
  return sum;
}

void check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // An allocation of exactly `size` bytes: reads past it trip ASan.
  std::unique_ptr<uint8_t[]> blob(new uint8_t[size == 0 ? 1 : size]);
  if (size > 0) std::memcpy(blob.get(), data, size);
  const uint8_t* end = blob.get() + size;

  char error[256];
  tierml::ModelView view;
  const TmStatus status = view.init(blob.get(), size, {error, sizeof(error)});
  check(status == kTmOk || (error[0] != '\0' && strlen(error) < sizeof(error)));
  if (!view.verified()) return 0;

  volatile uint32_t sink = 0;
  const int32_t num_tensors = view.num_tensors();
  for (int32_t t = 0; t < num_tensors; ++t) {
    const tierml::TensorView v = view.tensor(t);
    check(v.shape.rank >= 0 && v.shape.rank <= TM_MAX_DIMS);
    for (int32_t d = 0; d < v.shape.rank; ++d) check(v.shape.dims[d] >= 0);
    if (v.data != nullptr) {
      check(v.data >= blob.get() &&
            v.data_bytes <= static_cast<size_t>(end - v.data));
      sink += touch(v.data, v.data_bytes);
    }
    if (v.quant.count > 0) sink += touch(v.quant.scales, 4 * v.quant.count);
    if (v.name != nullptr) sink += touch(v.name, v.name_length + 1);
  }
  const tierml::Int32Span lists[2] = {view.inputs(), view.outputs()};
  for (const tierml::Int32Span& list : lists) {
    for (int32_t k = 0; k < list.size; ++k) {
      check(list[k] >= 0 && list[k] < num_tensors);
    }
  }
  for (int32_t i = 0; i < view.num_operators(); ++i) {
    const tierml::OperatorView op = view.op(i);
    check(status != kTmOk || op.attrs_valid);
    check(!op.attrs_valid || tm_builtin_op_is_supported(op.builtin_code));
    for (int32_t k = 0; k < op.inputs.size; ++k) {
      check(op.inputs[k] >= -1 && op.inputs[k] < num_tensors);
    }
    for (int32_t k = 0; k < op.outputs.size; ++k) {
      check(op.outputs[k] >= 0 && op.outputs[k] < num_tensors);
    }
    for (int32_t k = 0; k < op.intermediates.size; ++k) {
      check(op.intermediates[k] >= 0 && op.intermediates[k] < num_tensors);
    }
    if (op.attrs.op == kTmOpSqueeze && op.attrs_valid) {
      check(op.attrs.u.squeeze.num_squeeze_dims <= TM_MAX_SQUEEZE_DIMS);
    }
    if (op.custom_code != nullptr) {
      sink += touch(op.custom_code, op.custom_code_length + 1);
    }
    sink += touch(&op.attrs, sizeof(op.attrs));
  }
  for (int32_t m = 0; m < view.num_metadata(); ++m) {
    const char* name = nullptr;
    uint32_t name_length = 0;
    const uint8_t* bytes = nullptr;
    size_t bytes_length = 0;
    if (view.metadata(m, &name, &name_length, &bytes, &bytes_length)) {
      if (name != nullptr) sink += touch(name, name_length);
      if (bytes != nullptr) sink += touch(bytes, bytes_length);
    }
  }
  uint32_t length = 0;
  const char* description = view.description(&length);
  sink += touch(description, length);
  return 0;
}
