// NumPy .npy files (format versions 1-3), for tensors in and out of the CLI.
// Only what a tensor needs: little-endian numeric dtypes, C order.
#ifndef TIERML_IO_NPY_H_
#define TIERML_IO_NPY_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "tierml/tensor.h"

namespace tierml::io {

struct NpyArray {
  TmType type = kTmFloat32;
  std::vector<int64_t> shape;  // empty for a scalar
  std::vector<uint8_t> data;   // little-endian, C order
};

// invalid_argument naming what is wrong: bad magic, truncated header,
// unsupported dtype (big-endian, object, ...), Fortran order, data size not
// matching the shape.
Expected<NpyArray> parse_npy(std::span<const uint8_t> file);
// The .npy bytes of an array (version 1.0, header padded to 64 bytes).
Expected<std::vector<uint8_t>> encode_npy(const NpyArray& array);

// The dtype string numpy uses for a type ("<f4"), empty if none.
std::string npy_descr(TmType type);

}  // namespace tierml::io

#endif  // TIERML_IO_NPY_H_
