// The int8 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED kernels split the
// work into fast paths (folded bias on windows wholly inside the input, four
// channels per pass, out-of-line dot products) and the remainder. This test
// holds each of them to a second implementation written the plain way TFLite
// writes its reference loops: every output is
//   clamp(MultiplyByQuantizedMultiplier(bias + sum w * (x + input_offset))
//         + output_offset)
// with padded taps skipped, computed here with int64 sums and the reference
// requantizer of quantization.h. Bytes must be identical. Random shapes cover
// borders, strides, dilation, groups, odd channel counts (remainders of the
// four-channel blocks), extreme zero points and both the folded and the
// unfolded bias. The fast requantizer is checked against the reference one
// on its own. Each case runs every implementation explicitly: the public
// entry point (whichever path it picks), the portable path and, on x86-64
// CPUs with AVX2, the AVX2 path (x86/), with the filter as it is and packed
// as the interpreter packs it at prepare.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <sstream>
#include <vector>

#include "kernels/conv.h"
#include "kernels/depthwise_conv.h"
#include "kernels/fully_connected.h"
#include "kernels/int8_dot.h"
#include "kernels/pooling.h"
#include "kernels/quantization.h"
#include "kernels/window_padding.h"
#include "kernels/x86/add_avx2.h"
#include "kernels/x86/average_pool_avx2.h"
#include "kernels/x86/conv_avx2.h"
#include "kernels/x86/depthwise_conv_avx2.h"
#include "kernels/x86/fully_connected_avx2.h"
#include "kernels/x86/requantize_avx2.h"
#include "unit/kernels/conv_test_support.h"

namespace tierml {
namespace {

using testing::QTensor;

int pick(std::mt19937& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

// Extreme zero points half of the time: the input offset then reaches +-128
// and the sums their widest.
int32_t zero_point(std::mt19937& rng) {
  switch (pick(rng, 0, 3)) {
    case 0:
      return -128;
    case 1:
      return 127;
    default:
      return pick(rng, -128, 127);
  }
}

std::vector<int8_t> random_s8(std::mt19937& rng, size_t n) {
  std::vector<int8_t> v(n);
  for (auto& e : v) e = static_cast<int8_t>(pick(rng, -128, 127));
  return v;
}

std::vector<int32_t> random_bias(std::mt19937& rng, size_t n) {
  std::vector<int32_t> v(n);
  for (auto& e : v) e = pick(rng, -300000, 300000);
  return v;
}

// Scales putting the typical output a few dozen steps from the zero point,
// so that the clamp does not hide the sums.
float output_scale(std::mt19937& rng, float in_scale, int32_t taps) {
  return in_scale * 0.01f * 128.0f * std::sqrt(static_cast<float>(taps)) *
         testing::random_floats(rng, 1, 0.02f, 0.2f)[0];
}

// One window axis as TFLite lays it out: output extent and leading padding.
struct Axis {
  int32_t in, k, stride, dilation, out, pad;
};

bool make_axis(TmPadding padding, Axis* a) {
  const int32_t effective = (a->k - 1) * a->dilation + 1;
  a->out = padding == kTmPaddingSame
               ? (a->in + a->stride - 1) / a->stride
               : (a->in - effective + a->stride) / a->stride;
  if (a->out <= 0) return false;
  const int32_t total = (a->out - 1) * a->stride + effective - a->in;
  a->pad = total > 0 ? total / 2 : 0;
  return true;
}

int8_t reference_output(int64_t acc, int32_t multiplier, int32_t shift,
                        int32_t output_offset, int32_t lo, int32_t hi) {
  // In int64, as the kernels add it: extreme multipliers take the
  // requantized value to the int32 limits.
  const int64_t v = int64_t{multiply_by_quantized_multiplier(
                        static_cast<int32_t>(acc), multiplier, shift)} +
                    output_offset;
  return static_cast<int8_t>(v < lo ? lo : (v > hi ? hi : v));
}

std::string first_difference(const std::vector<int8_t>& got,
                             const std::vector<int8_t>& want) {
  if (got.size() != want.size()) return "sizes differ";
  for (size_t i = 0; i < got.size(); ++i) {
    if (got[i] != want[i]) {
      std::ostringstream s;
      s << "element " << i << ": got " << int(got[i]) << ", expected "
        << int(want[i]);
      return s.str();
    }
  }
  return "";
}

// One implementation of an int8 kernel; run returns false where it does not
// cover the parameters (the AVX2 paths only).
template <typename Params>
struct Path {
  const char* name;
  bool (*run)(const Params&, const int8_t*, const int8_t*, const int32_t*,
              int8_t*);
};

// The path the interpreter takes with a filter packed at prepare (conv.h's
// conv_s8_packed_filter_bytes and companions): false where the kernel wants
// no packed copy. The copy lies 16 bytes into its buffer, as aligned as the
// arena's (16 bytes), and the filter itself is not passed: the packed path
// must not read it.
template <typename Params, auto kBytes, auto kPack, auto kRun>
bool run_packed(const Params& p, const int8_t* x, const int8_t* w,
                const int32_t* b, int8_t* out) {
  const size_t bytes = kBytes(p);
  if (bytes == 0) return false;
  std::vector<uint8_t> buffer(bytes + 16);
  kPack(p, w, buffer.data() + 16);
  kRun(p, buffer.data() + 16, x, nullptr, b, out);
  return true;
}

// The public entry point, the portable path and, where the CPU has them, the
// AVX2 paths (nullptr: none) of one operator.
template <typename Params, auto kEntry, auto kPortable>
std::vector<Path<Params>> paths_of(const char* entry_name,
                                   decltype(Path<Params>::run) avx2,
                                   decltype(Path<Params>::run) packed) {
  std::vector<Path<Params>> paths = {
      {entry_name,
       [](const Params& p, const int8_t* x, const int8_t* w, const int32_t* b,
          int8_t* out) {
         kEntry(&p, x, w, b, out);
         return true;
       }},
      {"portable", [](const Params& p, const int8_t* x, const int8_t* w,
                      const int32_t* b, int8_t* out) {
         kPortable(p, x, w, b, out);
         return true;
       }}};
  if (avx2 != nullptr) paths.push_back({"avx2", avx2});
  if (packed != nullptr) paths.push_back({"packed filter", packed});
  return paths;
}

#ifdef TM_X86_AVX2
#define TM_AVX2_PATH(f) (cpu_has_avx2() ? (f) : nullptr)
#else
#define TM_AVX2_PATH(f) nullptr
#endif

std::vector<Path<TmConvParams>> conv_paths() {
  return paths_of<TmConvParams, tm_conv_s8, conv_s8_portable>(
      "tm_conv_s8", TM_AVX2_PATH(conv_s8_avx2),
      TM_AVX2_PATH((run_packed<TmConvParams, conv_s8_packed_filter_bytes,
                               conv_s8_pack_filter, conv_s8_packed>)));
}

std::vector<Path<TmDepthwiseConvParams>> depthwise_paths() {
  return paths_of<TmDepthwiseConvParams, tm_depthwise_conv_s8,
                  depthwise_conv_s8_portable>(
      "tm_depthwise_conv_s8", TM_AVX2_PATH(depthwise_conv_s8_avx2), nullptr);
}

std::vector<Path<TmFullyConnectedParams>> fully_connected_paths() {
  return paths_of<TmFullyConnectedParams, tm_fully_connected_s8,
                  fully_connected_s8_portable>(
      "tm_fully_connected_s8", TM_AVX2_PATH(fully_connected_s8_avx2),
      TM_AVX2_PATH(
          (run_packed<
              TmFullyConnectedParams, fully_connected_s8_packed_filter_bytes,
              fully_connected_s8_pack_filter, fully_connected_s8_packed>)));
}

// The paths whose output differs from want, and how; "" if none.
// ran[i] counts the cases path i covered.
template <typename Params>
std::string paths_difference(const std::vector<Path<Params>>& paths,
                             const Params& p, const int8_t* x, const int8_t* w,
                             const int32_t* bias,
                             const std::vector<int8_t>& want,
                             std::vector<int>* ran) {
  ran->resize(paths.size());
  std::string differences;
  for (size_t i = 0; i < paths.size(); ++i) {
    std::vector<int8_t> got(want.size());
    if (!paths[i].run(p, x, w, bias, got.data())) continue;
    ++(*ran)[i];
    const std::string difference = first_difference(got, want);
    if (!difference.empty()) {
      differences += paths[i].name + (": " + difference + "; ");
    }
  }
  return differences;
}

// Every path must have run on most cases.
template <typename Params>
void expect_coverage(const std::vector<Path<Params>>& paths,
                     const std::vector<int>& ran, int cases, int percent) {
  for (size_t i = 0; i < paths.size(); ++i) {
    EXPECT_GE(ran.size() > i ? ran[i] * 100 : 0, cases * percent)
        << paths[i].name;
  }
}

// A quarter of the cases replace the multipliers and shifts prepare derived
// from the scales with extreme ones: every shift TFLite can produce (left
// shifts that wrap the sum included), multipliers at both ends of the range,
// and now and then the saturating -2^31 (which the AVX2 lanes leave to the
// scalar code).
void maybe_extreme_multipliers(std::mt19937& rng, std::vector<int32_t>* m,
                               std::vector<int32_t>* shifts) {
  if (pick(rng, 0, 3) != 0) return;
  for (size_t i = 0; i < m->size(); ++i) {
    switch (pick(rng, 0, 3)) {
      case 0:
        (*m)[i] = kInt32Max;
        break;
      case 1:
        (*m)[i] = 1 << 30;
        break;
      default:
        (*m)[i] = pick(rng, 1 << 30, kInt32Max);
    }
    (*shifts)[i] = pick(rng, 0, 2) ? pick(rng, -31, 30) : pick(rng, -12, 2);
  }
  if (pick(rng, 0, 4) == 0) (*m)[pick(rng, 0, int(m->size()) - 1)] = kInt32Min;
}

TEST(Int8FastPathsTest, ConvMatchesThePlainLoop) {
  std::mt19937 rng(7001);
  const auto paths = conv_paths();
  std::vector<int> ran;
  int cases = 0, interior_cases = 0;
  while (cases < 400) {
    const int32_t n = pick(rng, 1, 2);
    static const int32_t kChannels[] = {1, 2, 3, 4, 5, 7, 8, 9, 16, 17};
    const int32_t cin = kChannels[pick(rng, 0, 9)];
    int32_t groups = 1;
    if (pick(rng, 0, 3) == 0) {
      for (int32_t g : {2, 3}) {
        if (cin % g == 0 && cin > 1) groups = g;
      }
    }
    // Now and then more output channels than the AVX2 path's 64-wide chunks.
    const int32_t cout = groups * (pick(rng, 0, 9) ? kChannels[pick(rng, 0, 9)]
                                                   : pick(rng, 60, 140));
    const TmPadding padding =
        pick(rng, 0, 1) ? kTmPaddingSame : kTmPaddingValid;
    Axis ay = {pick(rng, 1, 10),
               pick(rng, 1, 4),
               pick(rng, 1, 3),
               pick(rng, 0, 2) ? 1 : pick(rng, 2, 3),
               0,
               0};
    Axis ax = {pick(rng, 1, 10),
               pick(rng, 1, 4),
               pick(rng, 1, 3),
               pick(rng, 0, 2) ? 1 : pick(rng, 2, 3),
               0,
               0};
    // A fifth of the cases are pointwise (1x1, stride 1), whose blocks of
    // pixels the packed path widens as one run of the input.
    if (pick(rng, 0, 4) == 0) {
      ay.k = ax.k = ay.stride = ax.stride = 1;
    }
    if (!make_axis(padding, &ay) || !make_axis(padding, &ax)) continue;
    const int32_t fc = cin / groups;
    const int32_t per_group = cout / groups;

    auto x = random_s8(rng, size_t(n) * ay.in * ax.in * cin);
    auto w = random_s8(rng, size_t(cout) * ay.k * ax.k * fc);
    auto b = random_bias(rng, cout);
    const int32_t in_zp = zero_point(rng), out_zp = zero_point(rng);
    const bool per_channel = pick(rng, 0, 1);
    const float in_scale = testing::random_floats(rng, 1, 0.005f, 0.1f)[0];
    auto w_scales =
        testing::random_floats(rng, per_channel ? cout : 1, 0.001f, 0.02f);
    QTensor in(kTmInt8, {n, ay.in, ax.in, cin}),
        f(kTmInt8, {cout, ay.k, ax.k, fc}), bias(kTmInt32, {cout}),
        out(kTmInt8, {n, ay.out, ax.out, cout});
    in.quant({in_scale}, in_zp).data(x);
    f.quant(w_scales, 0, 0).data(w);
    bias.data(b);
    out.quant({output_scale(rng, in_scale, ay.k * ax.k * fc)}, out_zp);
    const bool with_bias = pick(rng, 0, 3) != 0;
    const bool fold = pick(rng, 0, 2) != 0;
    TmConvAttrs attrs = {};
    attrs.padding = padding;
    attrs.stride_h = ay.stride;
    attrs.stride_w = ax.stride;
    attrs.dilation_h = ay.dilation;
    attrs.dilation_w = ax.dilation;
    attrs.activation = testing::random_activation(rng);

    std::vector<int32_t> multipliers(cout), shifts(cout), folded(cout);
    TmConvParams p;
    ASSERT_EQ(tm_conv_prepare(&attrs, in.get(), f.get(),
                              with_bias ? bias.get() : nullptr, out.get(),
                              multipliers.data(), shifts.data(),
                              fold ? folded.data() : nullptr, &p),
              kTmOk);
    maybe_extreme_multipliers(rng, &multipliers, &shifts);

    std::vector<int8_t> want;
    bool any_interior = false, every_inside = true;
    for (int32_t bi = 0; bi < n; ++bi)
      for (int32_t oy = 0; oy < ay.out; ++oy)
        for (int32_t ox = 0; ox < ax.out; ++ox) {
          bool interior = true;
          for (int32_t oc = 0; oc < cout; ++oc) {
            int64_t acc = with_bias ? b[oc] : 0;
            for (int32_t ky = 0; ky < ay.k; ++ky)
              for (int32_t kx = 0; kx < ax.k; ++kx) {
                const int32_t y = oy * ay.stride - ay.pad + ky * ay.dilation;
                const int32_t xx = ox * ax.stride - ax.pad + kx * ax.dilation;
                if (y < 0 || y >= ay.in || xx < 0 || xx >= ax.in) {
                  interior = false;
                  continue;
                }
                for (int32_t c = 0; c < fc; ++c) {
                  const int32_t ic = (oc / per_group) * fc + c;
                  const int32_t xv =
                      x[((size_t(bi) * ay.in + y) * ax.in + xx) * cin + ic];
                  const int32_t wv =
                      w[((size_t(oc) * ay.k + ky) * ax.k + kx) * fc + c];
                  acc += int64_t{wv} * (xv - in_zp);
                }
              }
            want.push_back(reference_output(acc, p.multipliers[oc],
                                            p.shifts[oc], out_zp, p.act_min,
                                            p.act_max));
          }
          any_interior |= interior;
          every_inside &= interior;
        }
    // With a folded bias and every window inside the input, the generated
    // code passes no plain bias: the kernels must not need it.
    const bool drop_bias = every_inside && p.folded_bias && pick(rng, 0, 1);
    ASSERT_EQ(paths_difference(paths, p, x.data(), w.data(),
                               with_bias && !drop_bias ? b.data() : nullptr,
                               want, &ran),
              "")
        << "case " << cases << ": " << n << "x" << ay.in << "x" << ax.in << "x"
        << cin << " filter " << cout << "x" << ay.k << "x" << ax.k << "x" << fc
        << " groups " << groups << " stride " << ay.stride << "x" << ax.stride
        << " dilation " << ay.dilation << "x" << ax.dilation << " padding "
        << padding << " zero points " << in_zp << "/" << out_zp << " fold "
        << fold << " bias " << with_bias << " dropped " << drop_bias;
    interior_cases += any_interior && fold;
    ++cases;
  }
  // The folded-bias path must actually have run.
  EXPECT_GT(interior_cases, 100);
  expect_coverage(paths, ran, cases, 99);
}

// The two-pixel path packs two int32 sums in one 64-bit one; at the largest
// window it takes (1024 taps) and beyond, with every product at its extreme
// (with and without the input offset folded), the sums must still be exact.
TEST(Int8FastPathsTest, ConvLongWindowsWithExtremeValues) {
  std::mt19937 rng(7005);
  for (int32_t taps : {1023, 1024, 1025, 2048}) {
    for (int32_t pattern = 0; pattern < 6; ++pattern) {
      const bool fold = pattern < 3;
      const int32_t pixels = 5, cout = 6;
      std::vector<int8_t> x(size_t(pixels) * taps), w(size_t(cout) * taps);
      for (size_t i = 0; i < x.size(); ++i) {
        x[i] = pattern % 3 == 0
                   ? -128
                   : (pattern % 3 == 1 ? 127 : int8_t(pick(rng, -128, 127)));
      }
      for (size_t i = 0; i < w.size(); ++i) {
        w[i] = pattern % 3 == 2 ? int8_t(pick(rng, -128, 127)) : int8_t(-128);
      }
      std::vector<int32_t> b(cout, -1000);
      const int32_t in_zp = 127, out_zp = -3;
      QTensor in(kTmInt8, {1, 1, pixels, taps}), f(kTmInt8, {cout, 1, 1, taps}),
          bias(kTmInt32, {cout}), out(kTmInt8, {1, 1, pixels, cout});
      in.quant({0.05f}, in_zp).data(x);
      f.quant({0.01f}, 0, 0).data(w);
      bias.data(b);
      // A scale wide enough that the extreme sums stay unclamped.
      out.quant({0.05f * 0.01f * 32768.0f * taps / 100.0f}, out_zp);
      TmConvAttrs attrs = {};
      attrs.padding = kTmPaddingValid;
      attrs.stride_h = attrs.stride_w = 1;
      attrs.dilation_h = attrs.dilation_w = 1;
      attrs.activation = kTmActNone;
      std::vector<int32_t> multipliers(cout), shifts(cout), folded(cout);
      TmConvParams p;
      ASSERT_EQ(tm_conv_prepare(&attrs, in.get(), f.get(), bias.get(),
                                out.get(), multipliers.data(), shifts.data(),
                                fold ? folded.data() : nullptr, &p),
                kTmOk);
      std::vector<int8_t> want;
      int32_t inside = 0;
      for (int32_t px = 0; px < pixels; ++px) {
        for (int32_t oc = 0; oc < cout; ++oc) {
          int64_t acc = b[oc];
          for (int32_t t = 0; t < taps; ++t) {
            acc += int64_t{w[size_t(oc) * taps + t]} *
                   (x[size_t(px) * taps + t] - in_zp);
          }
          want.push_back(reference_output(acc, p.multipliers[oc], p.shifts[oc],
                                          out_zp, p.act_min, p.act_max));
          inside += want.back() > -128 && want.back() < 127;
        }
      }
      std::vector<int> ran;
      ASSERT_EQ(paths_difference(conv_paths(), p, x.data(), w.data(), b.data(),
                                 want, &ran),
                "")
          << taps << " taps, pattern " << pattern;
      EXPECT_GT(inside, pixels * cout / 2)
          << taps << " taps, pattern " << pattern;
    }
  }
}

TEST(Int8FastPathsTest, DepthwiseMatchesThePlainLoop) {
  std::mt19937 rng(7002);
  const auto paths = depthwise_paths();
  std::vector<int> ran;
  int cases = 0, interior_cases = 0;
  while (cases < 400) {
    const int32_t n = pick(rng, 1, 2);
    // Whole and partial eight-channel groups of the AVX2 path.
    static const int32_t kChannels[] = {1,  2,  3,  4,  5,  7,  8, 9,
                                        13, 16, 17, 24, 31, 40, 64};
    const int32_t cin = kChannels[pick(rng, 0, 14)];
    const int32_t multiplier = pick(rng, 0, 2) ? 1 : pick(rng, 2, 4);
    const int32_t cout = cin * multiplier;
    const TmPadding padding =
        pick(rng, 0, 1) ? kTmPaddingSame : kTmPaddingValid;
    Axis ay = {pick(rng, 1, 10),
               pick(rng, 1, 4),
               pick(rng, 1, 3),
               pick(rng, 0, 2) ? 1 : pick(rng, 2, 3),
               0,
               0};
    Axis ax = {pick(rng, 1, 10),
               pick(rng, 1, 4),
               pick(rng, 1, 3),
               pick(rng, 0, 2) ? 1 : pick(rng, 2, 3),
               0,
               0};
    // Now and then rows wider than the AVX2 path's pair-row buffer, which
    // it runs in bands of output columns.
    if (pick(rng, 0, 9) == 0) ax.in = pick(rng, 200, 600);
    if (!make_axis(padding, &ay) || !make_axis(padding, &ax)) continue;

    auto x = random_s8(rng, size_t(n) * ay.in * ax.in * cin);
    auto w = random_s8(rng, size_t(ay.k) * ax.k * cout);
    auto b = random_bias(rng, cout);
    const int32_t in_zp = zero_point(rng), out_zp = zero_point(rng);
    const bool per_channel = pick(rng, 0, 1);
    const float in_scale = testing::random_floats(rng, 1, 0.005f, 0.1f)[0];
    auto w_scales =
        testing::random_floats(rng, per_channel ? cout : 1, 0.001f, 0.02f);
    QTensor in(kTmInt8, {n, ay.in, ax.in, cin}),
        f(kTmInt8, {1, ay.k, ax.k, cout}), bias(kTmInt32, {cout}),
        out(kTmInt8, {n, ay.out, ax.out, cout});
    in.quant({in_scale}, in_zp).data(x);
    f.quant(w_scales, 0, 3).data(w);
    bias.data(b);
    out.quant({output_scale(rng, in_scale, ay.k * ax.k)}, out_zp);
    const bool with_bias = pick(rng, 0, 3) != 0;
    const bool fold = pick(rng, 0, 2) != 0;
    TmDepthwiseConvAttrs attrs = {};
    attrs.padding = padding;
    attrs.stride_h = ay.stride;
    attrs.stride_w = ax.stride;
    attrs.dilation_h = ay.dilation;
    attrs.dilation_w = ax.dilation;
    attrs.depth_multiplier = multiplier;
    attrs.activation = testing::random_activation(rng);

    std::vector<int32_t> multipliers(cout), shifts(cout), folded(cout);
    TmDepthwiseConvParams p;
    ASSERT_EQ(tm_depthwise_conv_prepare(
                  &attrs, in.get(), f.get(), with_bias ? bias.get() : nullptr,
                  out.get(), multipliers.data(), shifts.data(),
                  fold ? folded.data() : nullptr, &p),
              kTmOk);
    maybe_extreme_multipliers(rng, &multipliers, &shifts);

    std::vector<int8_t> want;
    bool any_interior = false, every_inside = true;
    for (int32_t bi = 0; bi < n; ++bi)
      for (int32_t oy = 0; oy < ay.out; ++oy)
        for (int32_t ox = 0; ox < ax.out; ++ox) {
          bool interior = true;
          for (int32_t oc = 0; oc < cout; ++oc) {
            int64_t acc = with_bias ? b[oc] : 0;
            for (int32_t ky = 0; ky < ay.k; ++ky)
              for (int32_t kx = 0; kx < ax.k; ++kx) {
                const int32_t y = oy * ay.stride - ay.pad + ky * ay.dilation;
                const int32_t xx = ox * ax.stride - ax.pad + kx * ax.dilation;
                if (y < 0 || y >= ay.in || xx < 0 || xx >= ax.in) {
                  interior = false;
                  continue;
                }
                const int32_t xv =
                    x[((size_t(bi) * ay.in + y) * ax.in + xx) * cin +
                      oc / multiplier];
                const int32_t wv = w[(size_t(ky) * ax.k + kx) * cout + oc];
                acc += int64_t{wv} * (xv - in_zp);
              }
            want.push_back(reference_output(acc, p.multipliers[oc],
                                            p.shifts[oc], out_zp, p.act_min,
                                            p.act_max));
          }
          any_interior |= interior;
          every_inside &= interior;
        }
    // With a folded bias and every window inside the input, the generated
    // code passes no plain bias: the kernels must not need it.
    const bool drop_bias = every_inside && p.folded_bias && pick(rng, 0, 1);
    ASSERT_EQ(paths_difference(paths, p, x.data(), w.data(),
                               with_bias && !drop_bias ? b.data() : nullptr,
                               want, &ran),
              "")
        << "case " << cases << ": " << n << "x" << ay.in << "x" << ax.in << "x"
        << cin << " multiplier " << multiplier << " filter " << ay.k << "x"
        << ax.k << " stride " << ay.stride << "x" << ax.stride << " dilation "
        << ay.dilation << "x" << ax.dilation << " padding " << padding
        << " zero points " << in_zp << "/" << out_zp << " fold " << fold
        << " bias " << with_bias << " dropped " << drop_bias;
    interior_cases += any_interior && fold;
    ++cases;
  }
  EXPECT_GT(interior_cases, 100);
  // The AVX2 path takes one output channel per input channel only.
  expect_coverage(paths, ran, cases, 50);
}

TEST(Int8FastPathsTest, FullyConnectedMatchesThePlainLoop) {
  std::mt19937 rng(7003);
  const auto paths = fully_connected_paths();
  std::vector<int> ran;
  const int iterations = 300;
  for (int iter = 0; iter < iterations; ++iter) {
    // Sometimes more than the AVX2 path's four-batch blocks, its 64-unit
    // chunks and its 16-tap vectors many times over.
    int32_t batches = pick(rng, 0, 3) ? pick(rng, 1, 3) : pick(rng, 4, 9);
    int32_t depth = pick(rng, 0, 3) ? pick(rng, 1, 70) : pick(rng, 71, 700);
    // Now and then more rows than the packed path widens in one run.
    if (pick(rng, 0, 9) == 0) {
      batches = pick(rng, 20, 60);
      depth = pick(rng, 300, 700);
    }
    const int32_t units =
        pick(rng, 0, 3) ? pick(rng, 1, 19) : pick(rng, 20, 150);
    auto x = random_s8(rng, size_t(batches) * depth);
    auto w = random_s8(rng, size_t(units) * depth);
    auto b = random_bias(rng, units);
    const int32_t in_zp = zero_point(rng), out_zp = zero_point(rng);
    // Per-tensor weights may carry a zero point (older models), per-channel
    // ones are symmetric.
    const bool per_channel = pick(rng, 0, 1);
    const int32_t w_zp = per_channel || pick(rng, 0, 1) ? 0 : zero_point(rng);
    const float in_scale = testing::random_floats(rng, 1, 0.005f, 0.1f)[0];
    auto w_scales =
        testing::random_floats(rng, per_channel ? units : 1, 0.001f, 0.02f);
    QTensor in(kTmInt8, {batches, depth}), f(kTmInt8, {units, depth}),
        bias(kTmInt32, {units}), out(kTmInt8, {batches, units});
    in.quant({in_scale}, in_zp).data(x);
    f.quant(w_scales, w_zp, 0).data(w);
    bias.data(b);
    out.quant({output_scale(rng, in_scale, depth)}, out_zp);
    const bool with_bias = pick(rng, 0, 3) != 0;
    const bool fold = pick(rng, 0, 2) != 0;
    TmFullyConnectedAttrs attrs = {};
    attrs.activation = testing::random_activation(rng);

    const int32_t count =
        tm_fully_connected_multiplier_count(in.get(), f.get());
    std::vector<int32_t> multipliers(count), shifts(count), folded(units);
    TmFullyConnectedParams p;
    ASSERT_EQ(tm_fully_connected_prepare(
                  &attrs, in.get(), f.get(), with_bias ? bias.get() : nullptr,
                  out.get(), multipliers.data(), shifts.data(),
                  fold ? folded.data() : nullptr, &p),
              kTmOk);
    maybe_extreme_multipliers(rng, &multipliers, &shifts);

    std::vector<int8_t> want;
    for (int32_t bi = 0; bi < batches; ++bi)
      for (int32_t u = 0; u < units; ++u) {
        int64_t acc = with_bias ? b[u] : 0;
        for (int32_t d = 0; d < depth; ++d) {
          acc += int64_t{w[size_t(u) * depth + d] - w_zp} *
                 (x[size_t(bi) * depth + d] - in_zp);
        }
        const int32_t q = per_channel ? u : 0;
        want.push_back(reference_output(acc, p.multipliers[q], p.shifts[q],
                                        out_zp, p.act_min, p.act_max));
      }
    // With a folded bias the generated code passes no plain bias: the
    // kernel must not need it.
    const bool drop_bias = p.folded_bias && pick(rng, 0, 1);
    ASSERT_EQ(paths_difference(paths, p, x.data(), w.data(),
                               with_bias && !drop_bias ? b.data() : nullptr,
                               want, &ran),
              "")
        << "iteration " << iter << ": " << batches << "x" << depth << " -> "
        << units << " zero points " << in_zp << "/" << w_zp << "/" << out_zp
        << " per channel " << per_channel << " fold " << fold << " bias "
        << with_bias << " dropped " << drop_bias;
  }
  // The AVX2 path leaves weights with a zero point to the portable one.
  expect_coverage(paths, ran, iterations, 50);
}

// ADD's AVX2 path (operands of the output's shape) against the portable
// one, element for element, on every length remainder of its eight-lane
// blocks, random scales, extreme zero points and every fused activation;
// and an output aliasing the first input, as in-place planning does.
TEST(Int8FastPathsTest, AddMatchesThePortablePath) {
  std::mt19937 rng(7006);
  int covered = 0;
  const int iterations = 300;
  for (int iter = 0; iter < iterations; ++iter) {
    const int32_t count =
        pick(rng, 0, 3) ? pick(rng, 1, 40) : pick(rng, 41, 700);
    auto x = random_s8(rng, count), y = random_s8(rng, count);
    const auto scales = testing::random_floats(rng, 3, 0.002f, 0.2f);
    QTensor a(kTmInt8, {count}), b(kTmInt8, {count}), out(kTmInt8, {count});
    a.quant({scales[0]}, zero_point(rng));
    b.quant({scales[1]}, zero_point(rng));
    out.quant({scales[2]}, zero_point(rng));
    TmElementwiseAttrs attrs = {};
    attrs.activation = testing::random_activation(rng);
    attrs.pot_scale_int16 = 1;
    TmAddParams p;
    if (tm_add_prepare(&attrs, a.get(), b.get(), out.get(), &p) != kTmOk) {
      continue;  // scale ratios outside TFLite's range
    }
    std::vector<int8_t> want(count), dispatched(count);
    add_s8_portable(p, x.data(), y.data(), want.data());
    tm_add_s8(&p, x.data(), y.data(), dispatched.data());
    ASSERT_EQ(first_difference(dispatched, want), "") << "tm_add_s8, " << iter;
#ifdef TM_X86_AVX2
    if (!cpu_has_avx2()) continue;
    std::vector<int8_t> got(count);
    ASSERT_TRUE(add_s8_avx2(p, x.data(), y.data(), got.data())) << iter;
    ASSERT_EQ(first_difference(got, want), "") << "avx2, " << iter;
    std::vector<int8_t> in_place = x;
    add_s8_avx2(p, in_place.data(), y.data(), in_place.data());
    ASSERT_EQ(first_difference(in_place, want), "") << "in place, " << iter;
    ++covered;
#endif
  }
#ifdef TM_X86_AVX2
  if (cpu_has_avx2()) EXPECT_GT(covered, iterations / 2);
#endif
}

// AVERAGE_POOL_2D's AVX2 path (eight channels of a window at a time)
// against the portable one: random windows, strides and paddings (clipped
// windows count only their real elements), channel counts around the groups
// of eight, windows up to 25 x 5 (KWS's), extreme inputs and every fused
// activation.
TEST(Int8FastPathsTest, AveragePoolMatchesThePortablePath) {
  std::mt19937 rng(7007);
  static const int32_t kChannels[] = {1, 3, 7, 8, 9, 15, 16, 17, 64};
  int covered = 0;
  const int iterations = 300;
  for (int iter = 0; iter < iterations; ++iter) {
    const int32_t n = pick(rng, 1, 2);
    const int32_t h = pick(rng, 1, 25), w = pick(rng, 1, 12);
    const int32_t depth = kChannels[pick(rng, 0, 8)];
    TmPoolAttrs attrs = {};
    attrs.padding = pick(rng, 0, 1) ? kTmPaddingSame : kTmPaddingValid;
    attrs.filter_h = pick(rng, 1, h);
    attrs.filter_w = pick(rng, 1, w);
    attrs.stride_h = pick(rng, 1, 3);
    attrs.stride_w = pick(rng, 1, 3);
    attrs.activation = testing::random_activation(rng);
    const int32_t oh =
        tm_window_out_size(attrs.padding, h, attrs.filter_h, attrs.stride_h, 1);
    const int32_t ow =
        tm_window_out_size(attrs.padding, w, attrs.filter_w, attrs.stride_w, 1);
    const int32_t zp = zero_point(rng);
    QTensor in(kTmInt8, {n, h, w, depth}), out(kTmInt8, {n, oh, ow, depth});
    in.quant({0.05f}, zp);
    out.quant({0.05f}, zp);
    TmPoolParams p;
    ASSERT_EQ(tm_pool_prepare(&attrs, in.get(), out.get(), &p), kTmOk) << iter;
    auto x = random_s8(rng, size_t(n) * h * w * depth);
    if (pick(rng, 0, 4) == 0) {
      for (int8_t& v : x) v = pick(rng, 0, 1) ? 127 : -128;
    }
    std::vector<int8_t> want(size_t(n) * oh * ow * depth), dispatched(want);
    average_pool_s8_portable(p, x.data(), want.data());
    tm_average_pool_s8(&p, x.data(), dispatched.data());
    ASSERT_EQ(first_difference(dispatched, want), "")
        << "tm_average_pool_s8, " << iter;
#ifdef TM_X86_AVX2
    if (!cpu_has_avx2()) continue;
    std::vector<int8_t> got(want.size());
    average_pool_s8_avx2(p, x.data(), got.data());
    ASSERT_EQ(first_difference(got, want), "")
        << "avx2, " << iter << ": " << n << "x" << h << "x" << w << "x" << depth
        << " filter " << attrs.filter_h << "x" << attrs.filter_w << " stride "
        << attrs.stride_h << "x" << attrs.stride_w;
    ++covered;
#endif
  }
#ifdef TM_X86_AVX2
  if (cpu_has_avx2()) EXPECT_EQ(covered, iterations);
#endif
}

// The fast requantizer against quantization.h's, on random and extreme
// accumulators, every right shift and small left shifts, and the multipliers
// at the ends of their range (including the saturating -2^31 * -2^31).
TEST(Int8FastPathsTest, FastRequantizerEqualsTheReference) {
  std::mt19937 rng(7004);
  const int32_t special_x[] = {
      0,       1,          -1,    kInt32Max, kInt32Min,     kInt32Min + 1,
      1 << 30, -(1 << 30), 12345, -12345,    (1 << 16) - 1, -(1 << 16)};
  const int32_t special_m[] = {0,         1,  1 << 30,    kInt32Max,
                               kInt32Min, -1, 1518500250, 1073741824 + 1};
  std::uniform_int_distribution<int32_t> any(kInt32Min, kInt32Max);
  std::uniform_int_distribution<int32_t> small(-(1 << 20), 1 << 20);
  for (int32_t shift = -31; shift <= 8; ++shift) {
    for (int32_t m : special_m) {
      for (int32_t x : special_x) {
        ASSERT_EQ(multiply_by_quantized_multiplier_fast(x, m, shift),
                  multiply_by_quantized_multiplier(x, m, shift))
            << x << " * " << m << " shift " << shift;
      }
    }
    for (int i = 0; i < 20000; ++i) {
      const int32_t x = (i % 2) ? any(rng) : small(rng);
      const int32_t m = (i % 3) ? pick(rng, 1 << 30, kInt32Max) : any(rng);
      ASSERT_EQ(multiply_by_quantized_multiplier_fast(x, m, shift),
                multiply_by_quantized_multiplier(x, m, shift))
          << x << " * " << m << " shift " << shift;
    }
  }
}

// The 32-bit machines' rounding shift against quantization.h's, for every
// exponent, on the values around each power of two and its halves (the
// ties), the int32 ends above INT32_MIN (its domain) and random values.
TEST(Int8FastPathsTest, FastRoundingShiftEqualsTheReference) {
  std::mt19937 rng(7006);
  std::uniform_int_distribution<int32_t> any(kInt32Min + 1, kInt32Max);
  std::vector<int32_t> xs = {0, kInt32Max, kInt32Max - 1, kInt32Min + 1,
                             kInt32Min + 2};
  for (int32_t b = 0; b <= 30; ++b) {
    for (int32_t d = -2; d <= 2; ++d) {
      const int64_t around[] = {(int64_t{1} << b) + d,
                                (int64_t{3} << b) / 2 + d};
      for (int64_t v : around) {
        if (v > kInt32Max || v <= kInt32Min) continue;
        xs.push_back(int32_t(v));
        xs.push_back(int32_t(-v));
      }
    }
  }
  for (int32_t e = 0; e <= 31; ++e) {
    for (int32_t x : xs) {
      ASSERT_EQ(rounding_divide_by_pot_fast(x, e), rounding_divide_by_pot(x, e))
          << x << " >> " << e;
    }
    for (int i = 0; i < 100000; ++i) {
      const int32_t x = any(rng) >> pick(rng, 0, 31);
      ASSERT_EQ(rounding_divide_by_pot_fast(x, e), rounding_divide_by_pot(x, e))
          << x << " >> " << e;
    }
  }
}

#ifdef TM_X86_AVX2
TM_AVX2 __m256i load_lanes(const int32_t* v) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(v));
}

TM_AVX2 void requantize_lanes(const int32_t* x, const int32_t* m,
                              const int32_t* shift, int32_t* out) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out),
                      x86::multiply_by_quantized_multiplier8(
                          load_lanes(x), load_lanes(m), load_lanes(shift)));
}

// The AVX2 paths' eight-lane requantizer against the scalar one, for every
// shift they accept and multipliers of both signs (all but -2^31, which they
// leave to the scalar code), on extreme and random accumulators.
TEST(Int8FastPathsTest, RequantizationLanesEqualTheScalarCode) {
  if (!cpu_has_avx2()) GTEST_SKIP() << "this CPU has no AVX2";
  std::mt19937 rng(7007);
  std::uniform_int_distribution<int32_t> any(kInt32Min, kInt32Max);
  const int32_t special[] = {0,         1,       -1,         kInt32Max,
                             kInt32Min, 1 << 30, -(1 << 30), 12345};
  for (int32_t shift = -31; shift <= 30; ++shift) {
    for (int i = 0; i < 4000; ++i) {
      int32_t x[8], m[8], shifts[8], got[8];
      for (int lane = 0; lane < 8; ++lane) {
        x[lane] = i < 8 ? special[(i + lane) % 8] : any(rng);
        m[lane] = (i + lane) % 3 ? pick(rng, 1 << 30, kInt32Max) : any(rng);
        if (m[lane] == kInt32Min) m[lane] = kInt32Max;
        shifts[lane] = lane % 2 ? shift : pick(rng, -31, 30);
      }
      requantize_lanes(x, m, shifts, got);
      for (int lane = 0; lane < 8; ++lane) {
        ASSERT_EQ(got[lane], multiply_by_quantized_multiplier_fast(
                                 x[lane], m[lane], shifts[lane]))
            << x[lane] << " * " << m[lane] << " shift " << shifts[lane];
      }
    }
  }
}
#endif

// A hostile model can drive the requantized value to the int32 limit; adding
// the output zero point must clamp, not overflow (UBSan checks the latter).
TEST(RequantizeS8, ExtremeValuesClampInsteadOfOverflowing) {
  const int32_t max_multiplier = INT32_MAX;
  EXPECT_EQ(requantize_s8(INT32_MIN + 1, max_multiplier, 0, -2, -128, 127),
            -128);
  EXPECT_EQ(requantize_s8(INT32_MAX, max_multiplier, 0, 2, -128, 127), 127);
  EXPECT_EQ(requantize_s8(100, 1 << 30, 0, -2, -128, 127), 48);
}

}  // namespace
}  // namespace tierml
