// Feeds one golden in_*.bin file to a single operator: the bytes of each
// operator input, taken from the model's concatenated inputs or, for a
// constant, from the model itself.
#ifndef TIERML_TESTS_UNIT_KERNELS_GOLDEN_FEED_H_
#define TIERML_TESTS_UNIT_KERNELS_GOLDEN_FEED_H_

#include <cstdint>
#include <vector>

#include "model/graph.h"

namespace tierml::testing {

// Pointer to the bytes operator input `tensor_index` gets, or nullptr when
// the file is too short or the tensor is neither an input nor a constant.
inline const uint8_t* golden_input(const model::Graph& graph,
                                   int32_t tensor_index,
                                   const std::vector<uint8_t>& file) {
  const model::Tensor& t = graph.tensors.at(tensor_index);
  if (t.is_constant()) return t.data.data();
  size_t offset = 0;
  for (int32_t input : graph.inputs) {
    const size_t bytes =
        static_cast<size_t>(model::tensor_bytes(graph.tensors.at(input)));
    if (input == tensor_index) {
      return offset + bytes <= file.size() ? file.data() + offset : nullptr;
    }
    offset += bytes;
  }
  return nullptr;
}

}  // namespace tierml::testing

#endif  // TIERML_TESTS_UNIT_KERNELS_GOLDEN_FEED_H_
