// Small helpers for kernel unit tests: a TmTensor that owns its scale, and a
// double-precision quantizer used as the naive reference.
#ifndef TIERML_TESTS_UNIT_KERNELS_TENSOR_SPEC_H_
#define TIERML_TESTS_UNIT_KERNELS_TENSOR_SPEC_H_

#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <random>
#include <vector>

#include "tierml/tensor.h"

namespace tierml::testing {

// A tensor description (no data) with per-tensor quantization when scale > 0.
class TensorSpec {
 public:
  TensorSpec(TmType type, std::initializer_list<int32_t> dims,
             float scale = 0.0f, int32_t zero_point = 0)
      : TensorSpec(type, std::vector<int32_t>(dims), scale, zero_point) {}
  TensorSpec(TmType type, const std::vector<int32_t>& dims, float scale = 0.0f,
             int32_t zero_point = 0)
      : scale_(scale) {
    tensor_.type = type;
    tensor_.shape.rank = static_cast<int32_t>(dims.size());
    for (size_t d = 0; d < dims.size(); ++d) tensor_.shape.dims[d] = dims[d];
    if (scale > 0.0f) {
      tensor_.quant.count = 1;
      tensor_.quant.scales = &scale_;
      tensor_.quant.zero_point = zero_point;
    }
  }
  TensorSpec(const TensorSpec&) = delete;
  TensorSpec& operator=(const TensorSpec&) = delete;

  const TmTensor* get() const { return &tensor_; }
  int32_t elements() const { return tm_shape_elements(&tensor_.shape); }
  float scale() const { return scale_; }
  int32_t zero_point() const { return tensor_.quant.zero_point; }

 private:
  TmTensor tensor_ = {};
  float scale_;
};

// round(real / scale) + zero_point, saturated to [lo, hi]; ties away from 0.
inline int32_t quantize_double(double real, double scale, int32_t zero_point,
                               int32_t lo, int32_t hi) {
  const double q = std::round(real / scale) + zero_point;
  return q < lo ? lo : (q > hi ? hi : static_cast<int32_t>(q));
}

template <typename T>
std::vector<T> random_values(size_t n, uint32_t seed, int32_t lo, int32_t hi) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int32_t> dist(lo, hi);
  std::vector<T> v(n);
  for (auto& x : v) x = static_cast<T>(dist(rng));
  return v;
}

// Reinterprets little-endian bytes as T values.
template <typename T>
std::vector<T> from_bytes(const uint8_t* bytes, size_t count) {
  std::vector<T> v(count);
  std::memcpy(v.data(), bytes, count * sizeof(T));
  return v;
}

}  // namespace tierml::testing

#endif  // TIERML_TESTS_UNIT_KERNELS_TENSOR_SPEC_H_
