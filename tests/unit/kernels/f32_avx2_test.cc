// The AVX2 float kernels (runtime/kernels/x86/) against the portable loops,
// called explicitly, on random shapes: odd channel counts, padding, strides,
// dilation, every fused activation, with and without bias. They sum the
// same products in the same order, so the results must be the same bits.
// The public entry points must give them where the CPU has AVX2 and the
// shape is covered, and the portable loop's otherwise (groups, large
// filters, depth multipliers).
#include "kernels/x86/cpu_features.h"

#ifdef TM_X86_AVX2

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "kernels/conv.h"
#include "kernels/depthwise_conv.h"
#include "kernels/fully_connected.h"
#include "kernels/window_padding.h"
#include "kernels/x86/conv_f32_avx2.h"
#include "kernels/x86/depthwise_conv_f32_avx2.h"
#include "kernels/x86/fully_connected_f32_avx2.h"
#include "unit/kernels/conv_test_support.h"

namespace tierml {
namespace {

using testing::QTensor;

int pick(std::mt19937& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

int pick_channels(std::mt19937& rng) {
  static const int kChannels[] = {1,  2,  3,  5,  7,  8,  9,  15, 16,
                                  17, 24, 31, 32, 33, 40, 64, 67};
  return kChannels[pick(rng, 0, sizeof(kChannels) / sizeof(int) - 1)];
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

struct Window {
  int n, h, w, kh, kw, stride_h, stride_w, dil_h, dil_w;
  TmPadding padding;
  int oh, ow;
};

// A random window geometry with at least one output pixel.
Window random_window(std::mt19937& rng, int max_side) {
  for (;;) {
    Window g = {};
    g.n = pick(rng, 1, 2);
    g.h = pick(rng, 1, max_side);
    g.w = pick(rng, 1, max_side);
    g.kh = pick(rng, 1, 5);
    g.kw = pick(rng, 1, 5);
    g.stride_h = pick(rng, 1, 3);
    g.stride_w = pick(rng, 1, 3);
    g.dil_h = pick(rng, 0, 3) == 0 ? pick(rng, 2, 3) : 1;
    g.dil_w = pick(rng, 0, 3) == 0 ? pick(rng, 2, 3) : 1;
    g.padding = pick(rng, 0, 1) ? kTmPaddingSame : kTmPaddingValid;
    g.oh = tm_window_out_size(g.padding, g.h, g.kh, g.stride_h, g.dil_h);
    g.ow = tm_window_out_size(g.padding, g.w, g.kw, g.stride_w, g.dil_w);
    if (g.oh > 0 && g.ow > 0) return g;
  }
}

// One random CONV_2D case of geometry g: the dispatching entry point, the
// unpacked AVX2 path where it covers the shape, and the interpreter's
// packed path (conv_f32_pack_filter at prepare, conv_f32_packed) all give
// the portable loop's bits. *covered says whether the unpacked path ran.
void check_conv_case(std::mt19937& rng, const Window& g, int groups, int fdepth,
                     int cout, int iter, bool* covered) {
  const int cin = fdepth * groups;
  auto x = testing::random_floats(rng, size_t(g.n) * g.h * g.w * cin, -2, 2);
  auto w =
      testing::random_floats(rng, size_t(cout) * g.kh * g.kw * fdepth, -1, 1);
  auto b = testing::random_floats(rng, cout, -1, 1);
  const bool has_bias = pick(rng, 0, 3) != 0;
  TmConvAttrs a = {};
  a.padding = g.padding;
  a.stride_w = g.stride_w;
  a.stride_h = g.stride_h;
  a.dilation_w = g.dil_w;
  a.dilation_h = g.dil_h;
  a.activation = testing::random_activation(rng);
  QTensor in(kTmFloat32, {g.n, g.h, g.w, cin}),
      f(kTmFloat32, {cout, g.kh, g.kw, fdepth}), bias(kTmFloat32, {cout}),
      out(kTmFloat32, {g.n, g.oh, g.ow, cout});
  TmConvParams p;
  ASSERT_EQ(tm_conv_prepare(&a, in.get(), f.get(), bias.get(), out.get(),
                            nullptr, nullptr, nullptr, &p),
            kTmOk);
  const float* bp = has_bias ? b.data() : nullptr;
  std::vector<float> portable(out.elements()), dispatched(out.elements());
  tm_conv_f32_portable(&p, x.data(), w.data(), bp, portable.data());
  tm_conv_f32(&p, x.data(), w.data(), bp, dispatched.data());
  ASSERT_TRUE(same_bits(dispatched, portable))
      << "iteration " << iter << ": " << g.n << "x" << g.h << "x" << g.w << "x"
      << cin << " -> " << cout << ", " << g.kh << "x" << g.kw << " stride "
      << g.stride_h << "," << g.stride_w << " dilation " << g.dil_h << ","
      << g.dil_w << " groups " << groups;
  *covered = x86::conv_f32_avx2_covers(p);
  if (*covered) {
    std::vector<float> simd(out.elements());
    x86::conv_f32_avx2(p, x.data(), w.data(), bp, simd.data());
    ASSERT_TRUE(same_bits(simd, portable)) << "iteration " << iter;
  }
  // The interpreter's copy: in a buffer aligned to 16 bytes only, as the
  // arena's are, its bytes poisoned with NaNs first so that any value the
  // packer leaves unwritten shows; the filter is gone at invoke (any read of
  // it would crash).
  const size_t bytes = conv_f32_packed_filter_bytes(p);
  ASSERT_EQ(bytes != 0, groups == 1) << "iteration " << iter;
  if (bytes == 0) return;
  std::vector<float> storage(bytes / sizeof(float) + 8);
  std::memset(storage.data(), 0xff, storage.size() * sizeof(float));
  void* packed = storage.data() + 4;
  conv_f32_pack_filter(p, w.data(), packed);
  std::vector<float> from_packed(out.elements());
  conv_f32_packed(p, packed, x.data(), nullptr, bp, from_packed.data());
  ASSERT_TRUE(same_bits(from_packed, portable))
      << "iteration " << iter << " (packed)";
}

TEST(ConvF32Avx2Test, MatchesPortableLoopOnRandomShapes) {
  if (!cpu_has_avx2()) GTEST_SKIP() << "no AVX2 on this CPU";
  std::mt19937 rng(2026);
  int covered_cases = 0;
  for (int iter = 0; iter < 400; ++iter) {
    const Window g = random_window(rng, 14);
    const int groups = pick(rng, 0, 4) == 0 ? pick(rng, 2, 3) : 1;
    const int fdepth = pick_channels(rng);
    const int cout = groups * pick(rng, 1, 40);
    bool covered = false;
    check_conv_case(rng, g, groups, fdepth, cout, iter, &covered);
    if (HasFatalFailure()) return;
    covered_cases += covered ? 1 : 0;
  }
  EXPECT_GT(covered_cases, 300);
}

// Filters deeper than the unpacked path's 1024 values per channel, input
// channels and window rows longer than its stretch of zeros for padding:
// the packed path runs them all.
TEST(ConvF32Avx2Test, PackedPathMatchesPortableLoopOnDeepFilters) {
  if (!cpu_has_avx2()) GTEST_SKIP() << "no AVX2 on this CPU";
  std::mt19937 rng(2029);
  for (int iter = 0; iter < 24; ++iter) {
    const Window g = random_window(rng, 6);
    static const int kDepths[] = {300, 513, 1030, 1500};
    const int fdepth = kDepths[pick(rng, 0, 3)];
    bool covered = false;
    check_conv_case(rng, g, 1, fdepth, pick(rng, 1, 20), iter, &covered);
    if (HasFatalFailure()) return;
  }
}

TEST(DepthwiseConvF32Avx2Test, MatchesPortableLoopOnRandomShapes) {
  if (!cpu_has_avx2()) GTEST_SKIP() << "no AVX2 on this CPU";
  std::mt19937 rng(2027);
  for (int iter = 0; iter < 400; ++iter) {
    const Window g = random_window(rng, 14);
    const int cin = pick_channels(rng);
    const int multiplier = pick(rng, 0, 4) == 0 ? pick(rng, 2, 3) : 1;
    const int cout = cin * multiplier;
    auto x = testing::random_floats(rng, size_t(g.n) * g.h * g.w * cin, -2, 2);
    auto w = testing::random_floats(rng, size_t(g.kh) * g.kw * cout, -1, 1);
    auto b = testing::random_floats(rng, cout, -1, 1);
    const bool has_bias = pick(rng, 0, 3) != 0;
    TmDepthwiseConvAttrs a = {};
    a.padding = g.padding;
    a.stride_w = g.stride_w;
    a.stride_h = g.stride_h;
    a.depth_multiplier = multiplier;
    a.dilation_w = g.dil_w;
    a.dilation_h = g.dil_h;
    a.activation = testing::random_activation(rng);
    QTensor in(kTmFloat32, {g.n, g.h, g.w, cin}),
        f(kTmFloat32, {1, g.kh, g.kw, cout}), bias(kTmFloat32, {cout}),
        out(kTmFloat32, {g.n, g.oh, g.ow, cout});
    TmDepthwiseConvParams p;
    ASSERT_EQ(tm_depthwise_conv_prepare(&a, in.get(), f.get(), bias.get(),
                                        out.get(), nullptr, nullptr, nullptr,
                                        &p),
              kTmOk);
    const float* bp = has_bias ? b.data() : nullptr;
    std::vector<float> portable(out.elements()), dispatched(out.elements());
    tm_depthwise_conv_f32_portable(&p, x.data(), w.data(), bp,
                                   portable.data());
    tm_depthwise_conv_f32(&p, x.data(), w.data(), bp, dispatched.data());
    if (!x86::depthwise_f32_avx2_covers(p)) {
      ASSERT_TRUE(same_bits(dispatched, portable)) << "iteration " << iter;
      continue;
    }
    std::vector<float> simd(out.elements());
    x86::depthwise_conv_f32_avx2(p, x.data(), w.data(), bp, simd.data());
    ASSERT_TRUE(same_bits(simd, portable)) << "iteration " << iter;
    ASSERT_TRUE(same_bits(dispatched, simd)) << "iteration " << iter;
  }
}

TEST(FullyConnectedF32Avx2Test, MatchesPortableLoopOnRandomShapes) {
  if (!cpu_has_avx2()) GTEST_SKIP() << "no AVX2 on this CPU";
  std::mt19937 rng(2028);
  for (int iter = 0; iter < 300; ++iter) {
    const int batches = pick(rng, 1, 5);
    const int depth = pick(rng, 0, 1) ? pick_channels(rng) : pick(rng, 1, 700);
    const int units = pick(rng, 1, 40);
    auto x = testing::random_floats(rng, size_t(batches) * depth, -2, 2);
    auto w = testing::random_floats(rng, size_t(units) * depth, -1, 1);
    auto b = testing::random_floats(rng, units, -1, 1);
    const bool has_bias = pick(rng, 0, 3) != 0;
    TmFullyConnectedAttrs a = {};
    a.activation = testing::random_activation(rng);
    QTensor in(kTmFloat32, {batches, depth}), f(kTmFloat32, {units, depth}),
        bias(kTmFloat32, {units}), out(kTmFloat32, {batches, units});
    TmFullyConnectedParams p;
    ASSERT_EQ(tm_fully_connected_prepare(&a, in.get(), f.get(), bias.get(),
                                         out.get(), nullptr, nullptr, nullptr,
                                         &p),
              kTmOk);
    const float* bp = has_bias ? b.data() : nullptr;
    std::vector<float> portable(out.elements()), simd(out.elements()),
        dispatched(out.elements());
    tm_fully_connected_f32_portable(&p, x.data(), w.data(), bp,
                                    portable.data());
    x86::fully_connected_f32_avx2(p, x.data(), w.data(), bp, simd.data());
    tm_fully_connected_f32(&p, x.data(), w.data(), bp, dispatched.data());
    ASSERT_TRUE(same_bits(simd, portable))
        << "iteration " << iter << ": " << batches << "x" << depth << " -> "
        << units;
    ASSERT_TRUE(same_bits(dispatched, portable)) << "iteration " << iter;
  }
}

}  // namespace
}  // namespace tierml

#endif  // TM_X86_AVX2
