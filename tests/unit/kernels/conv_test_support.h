// Helpers for the convolution-like kernel tests (conv, depthwise, transpose
// conv, fully connected): tensors with per-channel quantization over caller
// data, the double-precision requantizer the naive oracles use, and
// comparisons that report the first differences.
#ifndef TIERML_TESTS_UNIT_KERNELS_CONV_TEST_SUPPORT_H_
#define TIERML_TESTS_UNIT_KERNELS_CONV_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <sstream>
#include <vector>

#include "tierml/op_attrs.h"
#include "tierml/tensor.h"

namespace tierml::testing {

// A TmTensor owning its shape and scales; data stays the caller's.
class QTensor {
 public:
  QTensor(TmType type, const std::vector<int32_t>& dims) {
    t_.type = type;
    t_.shape.rank = static_cast<int32_t>(dims.size());
    for (size_t d = 0; d < dims.size(); ++d) t_.shape.dims[d] = dims[d];
  }
  QTensor(const QTensor&) = delete;
  QTensor& operator=(const QTensor&) = delete;

  QTensor& quant(std::vector<float> scales, int32_t zero_point,
                 int32_t dimension = 0) {
    scales_ = std::move(scales);
    t_.quant.count = static_cast<int32_t>(scales_.size());
    t_.quant.scales = scales_.data();
    t_.quant.zero_point = zero_point;
    t_.quant.quantized_dimension = dimension;
    return *this;
  }
  template <typename T>
  QTensor& data(std::vector<T>& values) {
    t_.data = values.data();
    t_.bytes = values.size() * sizeof(T);
    return *this;
  }
  TmTensor* get() { return &t_; }
  int32_t elements() const { return tm_shape_elements(&t_.shape); }
  const std::vector<float>& scales() const { return scales_; }

 private:
  TmTensor t_ = {};
  std::vector<float> scales_;
};

// The oracle's requantization: round(acc * multiplier) (ties away from zero)
// plus the zero point, clamped. Independent of the fixed-point path, so it
// agrees with TFLite's within one step.
inline int32_t naive_requantize(double acc, double multiplier,
                                int32_t zero_point, int32_t lo, int32_t hi) {
  const double q = std::round(acc * multiplier) + zero_point;
  return q < lo ? lo : (q > hi ? hi : static_cast<int32_t>(q));
}

// The oracle's clamp range of a fused activation, in double.
inline void naive_activation_range(TmActivation act, double scale,
                                   int32_t zero_point, int32_t qmin,
                                   int32_t qmax, int32_t* lo, int32_t* hi) {
  auto q = [&](double real) {
    return zero_point + static_cast<int32_t>(std::round(real / scale));
  };
  *lo = qmin;
  *hi = qmax;
  if (act == kTmActRelu || act == kTmActRelu6) *lo = std::max(qmin, q(0.0));
  if (act == kTmActRelu6) *hi = std::min(qmax, q(6.0));
  if (act == kTmActReluN1To1) {
    *lo = std::max(qmin, q(-1.0));
    *hi = std::min(qmax, q(1.0));
  }
}

inline void naive_activation_range_float(TmActivation act, double* lo,
                                         double* hi) {
  *lo = -HUGE_VAL;
  *hi = HUGE_VAL;
  if (act == kTmActRelu || act == kTmActRelu6) *lo = 0.0;
  if (act == kTmActRelu6) *hi = 6.0;
  if (act == kTmActReluN1To1) {
    *lo = -1.0;
    *hi = 1.0;
  }
}

template <typename T>
::testing::AssertionResult all_within(const std::vector<T>& actual,
                                      const std::vector<int32_t>& expected,
                                      int32_t tolerance) {
  if (actual.size() != expected.size()) {
    return ::testing::AssertionFailure()
           << "size " << actual.size() << " vs " << expected.size();
  }
  int bad = 0;
  std::ostringstream why;
  for (size_t i = 0; i < actual.size(); ++i) {
    const int32_t diff =
        std::abs(static_cast<int32_t>(actual[i]) - expected[i]);
    if (diff > tolerance) {
      if (++bad <= 5) {
        why << " [" << i << "] " << static_cast<int32_t>(actual[i]) << " vs "
            << expected[i] << ";";
      }
    }
  }
  if (bad == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << bad << " of " << actual.size() << " outside +-" << tolerance << ":"
         << why.str();
}

// |actual - expected| <= rel * magnitude + 1e-6 per element, where
// magnitude is the sum of the absolute terms that made the element.
inline ::testing::AssertionResult floats_close(
    const std::vector<float>& actual, const std::vector<double>& expected,
    const std::vector<double>& magnitude, double rel) {
  if (actual.size() != expected.size()) {
    return ::testing::AssertionFailure() << "size mismatch";
  }
  for (size_t i = 0; i < actual.size(); ++i) {
    const double tol = rel * magnitude[i] + 1e-6;
    if (std::fabs(actual[i] - expected[i]) > tol) {
      return ::testing::AssertionFailure()
             << "[" << i << "] " << actual[i] << " vs " << expected[i];
    }
  }
  return ::testing::AssertionSuccess();
}

// Counts the oracle's outputs strictly inside (lo, hi), so randomized tests
// can check they exercise rounding rather than only saturation (fused
// activations clamp about half of the outputs by design).
struct Coverage {
  size_t inside = 0, total = 0;
  void add(const std::vector<int32_t>& values, int32_t lo, int32_t hi) {
    for (int32_t v : values) inside += (v > lo && v < hi) ? 1 : 0;
    total += values.size();
  }
  bool enough() const { return inside * 3 >= total; }
};

inline TmActivation random_activation(std::mt19937& rng) {
  static const TmActivation kActs[] = {kTmActNone, kTmActRelu, kTmActRelu6,
                                       kTmActReluN1To1};
  return kActs[std::uniform_int_distribution<int>(0, 3)(rng)];
}

template <typename T>
std::vector<T> random_ints(std::mt19937& rng, size_t n, int64_t lo,
                           int64_t hi) {
  std::uniform_int_distribution<int64_t> dist(lo, hi);
  std::vector<T> v(n);
  for (auto& x : v) x = static_cast<T>(dist(rng));
  return v;
}

inline std::vector<float> random_floats(std::mt19937& rng, size_t n, float lo,
                                        float hi) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

}  // namespace tierml::testing

#endif  // TIERML_TESTS_UNIT_KERNELS_CONV_TEST_SUPPORT_H_
