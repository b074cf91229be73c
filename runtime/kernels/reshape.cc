#include "kernels/reshape.h"

#include <string.h>

extern "C" {

TmStatus tm_reshape_prepare(const TmTensor* input, const TmTensor* output,
                            size_t* bytes) {
  if (input->type != output->type) return kTmErrorBadArgument;
  const size_t element_size = tm_type_size(input->type);
  if (element_size == 0) return kTmErrorUnsupported;
  const int32_t count = tm_shape_elements(&input->shape);
  if (count != tm_shape_elements(&output->shape)) return kTmErrorBadArgument;
  *bytes = static_cast<size_t>(count) * element_size;
  return kTmOk;
}

void tm_reshape(const void* input, void* output, size_t bytes) {
  if (input == output) return;
  memmove(output, input, bytes);
}

}  // extern "C"
