// The in-place rules of plan/sharing.h, checked against the kernels
// themselves: for every operator the planner lets write its output over an
// input, running the kernel with output == input gives the same bytes as
// running it into a separate buffer, including broadcast ADD/SUB/MUL where
// the full-shape operand is overwritten.
#include <gtest/gtest.h>

#include <vector>

#include "kernels/add.h"
#include "kernels/hard_swish.h"
#include "kernels/leaky_relu.h"
#include "kernels/logistic.h"
#include "kernels/mul.h"
#include "kernels/prelu.h"
#include "kernels/quantize.h"
#include "kernels/relu.h"
#include "kernels/sub.h"
#include "kernels/tanh.h"
#include "plan/sharing.h"
#include "unit/kernels/tensor_spec.h"

namespace tierml::plan {
namespace {

using tierml::testing::random_values;
using tierml::testing::TensorSpec;

// Runs f(input, output) out of place and in place; the outputs must agree.
template <typename T, typename F>
void expect_same_in_place(const std::vector<T>& input, F f) {
  std::vector<T> separate(input.size());
  f(input.data(), separate.data());
  std::vector<T> shared = input;
  f(shared.data(), shared.data());
  EXPECT_EQ(shared, separate);
}

TEST(InPlaceKernels, UnaryInt8Kernels) {
  const TensorSpec in(kTmInt8, {1, 6, 7, 5}, 0.07f, -3);
  const TensorSpec out(kTmInt8, {1, 6, 7, 5}, 0.05f, 4);
  const auto x = random_values<int8_t>(in.elements(), 7, -128, 127);

  TmReluParams relu;
  ASSERT_EQ(tm_relu_prepare(in.get(), out.get(), &relu), kTmOk);
  expect_same_in_place(
      x, [&](const int8_t* i, int8_t* o) { tm_relu_s8(&relu, i, o); });
  ASSERT_EQ(tm_relu6_prepare(in.get(), out.get(), &relu), kTmOk);
  expect_same_in_place(
      x, [&](const int8_t* i, int8_t* o) { tm_relu6_s8(&relu, i, o); });

  TmLeakyReluAttrs leaky_attrs = {0.2f};
  TmLeakyReluParams leaky;
  ASSERT_EQ(tm_leaky_relu_prepare(&leaky_attrs, in.get(), out.get(), &leaky),
            kTmOk);
  expect_same_in_place(
      x, [&](const int8_t* i, int8_t* o) { tm_leaky_relu_s8(&leaky, i, o); });

  const TensorSpec hs_out(kTmInt8, {1, 6, 7, 5}, 0.03f, -10);
  TmHardSwishParams hard_swish;
  ASSERT_EQ(tm_hard_swish_prepare(in.get(), hs_out.get(), &hard_swish), kTmOk);
  expect_same_in_place(x, [&](const int8_t* i, int8_t* o) {
    tm_hard_swish_s8(&hard_swish, i, o);
  });

  const TensorSpec sigmoid_out(kTmInt8, {1, 6, 7, 5}, 1.0f / 256, -128);
  TmLogisticParams logistic;
  ASSERT_EQ(tm_logistic_prepare(in.get(), sigmoid_out.get(), &logistic), kTmOk);
  expect_same_in_place(
      x, [&](const int8_t* i, int8_t* o) { tm_logistic_s8(&logistic, i, o); });

  const TensorSpec tanh_out(kTmInt8, {1, 6, 7, 5}, 1.0f / 128, 0);
  TmTanhParams tanh_params;
  ASSERT_EQ(tm_tanh_prepare(in.get(), tanh_out.get(), &tanh_params), kTmOk);
  expect_same_in_place(
      x, [&](const int8_t* i, int8_t* o) { tm_tanh_s8(&tanh_params, i, o); });

  TmQuantizeParams requantize;
  ASSERT_EQ(tm_quantize_prepare(in.get(), out.get(), &requantize), kTmOk);
  expect_same_in_place(
      x, [&](const int8_t* i, int8_t* o) { tm_requantize(&requantize, i, o); });
}

TEST(InPlaceKernels, PreluOverItsInput) {
  const TensorSpec in(kTmInt8, {1, 4, 5, 6}, 0.07f, -3);
  const TensorSpec alpha(kTmInt8, {6}, 0.01f, 2);
  const TensorSpec out(kTmInt8, {1, 4, 5, 6}, 0.05f, 4);
  TmPreluParams p;
  ASSERT_EQ(tm_prelu_prepare(in.get(), alpha.get(), out.get(), &p), kTmOk);
  const auto a = random_values<int8_t>(6, 3, -128, 127);
  const auto x = random_values<int8_t>(in.elements(), 9, -128, 127);
  expect_same_in_place(
      x, [&](const int8_t* i, int8_t* o) { tm_prelu_s8(&p, i, a.data(), o); });
}

// Output over the full-shape operand, with the other operand broadcast
// along different dimensions, in either operand position.
TEST(InPlaceKernels, BinaryOpsOverTheFullShapeOperand) {
  const TmElementwiseAttrs attrs = {kTmActNone, 1};
  const TensorSpec full(kTmInt8, {2, 3, 4, 5}, 0.06f, -7);
  const TensorSpec out(kTmInt8, {2, 3, 4, 5}, 0.09f, 3);
  const std::vector<std::vector<int32_t>> small_shapes = {
      {2, 3, 4, 5}, {5}, {3, 1, 5}, {2, 1, 4, 1}, {1}};
  const auto x = random_values<int8_t>(full.elements(), 11, -128, 127);
  for (const auto& shape : small_shapes) {
    SCOPED_TRACE(shape.size());
    const TensorSpec other(kTmInt8, shape, 0.04f, 5);
    const auto y = random_values<int8_t>(other.elements(), 13, -128, 127);
    for (bool full_first : {true, false}) {
      const TmTensor* t1 = full_first ? full.get() : other.get();
      const TmTensor* t2 = full_first ? other.get() : full.get();
      auto call = [&](auto kernel, const auto& params) {
        expect_same_in_place(x, [&](const int8_t* f, int8_t* o) {
          if (full_first) {
            kernel(&params, f, y.data(), o);
          } else {
            kernel(&params, y.data(), f, o);
          }
        });
      };
      TmAddParams add;
      ASSERT_EQ(tm_add_prepare(&attrs, t1, t2, out.get(), &add), kTmOk);
      call(tm_add_s8, add);
      TmSubParams sub;
      ASSERT_EQ(tm_sub_prepare(&attrs, t1, t2, out.get(), &sub), kTmOk);
      call(tm_sub_s8, sub);
      TmMulParams mul;
      ASSERT_EQ(tm_mul_prepare(&attrs, t1, t2, out.get(), &mul), kTmOk);
      call(tm_mul_s8, mul);
    }
  }
}

// Every operator is_in_place_op admits is exercised above.
TEST(InPlaceKernels, CoverEveryInPlaceOperator) {
  const int32_t covered[] = {kTmOpAdd,       kTmOpSub,       kTmOpMul,
                             kTmOpPrelu,     kTmOpRelu,      kTmOpRelu6,
                             kTmOpLeakyRelu, kTmOpHardSwish, kTmOpLogistic,
                             kTmOpTanh,      kTmOpQuantize};
  int admitted = 0;
  for (int32_t code = 0; code < 256; ++code) {
    if (!is_in_place_op(code)) continue;
    ++admitted;
    bool found = false;
    for (int32_t c : covered) found = found || c == code;
    EXPECT_TRUE(found) << "in-place operator " << code << " has no kernel test";
  }
  EXPECT_EQ(admitted, 11);
}

}  // namespace
}  // namespace tierml::plan
