// Randomized device self-test of the int8 kernels' ARM fast paths.
//
// Host unit tests never execute the Armv7E-M DSP code (Cortex-M4: the staged
// im2col CONV_2D with its assembly loop, SMLABB/SMLATT depthwise) or the
// Helium code (Cortex-M55: arm/int8_dot_mve.h in conv, depthwise, fully
// connected and ADD). This firmware runs on those cores under QEMU
// (tests/device/kernel_selftest.sh) and holds every kernel, on random shapes
// and quantization parameters, to a plain loop written from TensorFlow Lite's
// reference formula: the sum over taps of w * (x + input_offset), skipping
// padding, plus the bias, then MultiplyByQuantizedMultiplier in the reference
// form (kernels/quantization.h, not int8_dot.h's cheaper one), the output
// offset and the activation clamp.
//
// The seed is fixed, so a failure is reproducible: the message names the
// kernel, the case number, the first differing output byte and the case's
// shape. main returns 0 when every case matched; startup.c hands that to QEMU
// as its exit code.
#include <stdint.h>
#include <string.h>

#include "kernels/add.h"
#include "kernels/broadcast.h"
#include "kernels/conv.h"
#include "kernels/depthwise_conv.h"
#include "kernels/fully_connected.h"
#include "kernels/quantization.h"
#include "kernels/window_padding.h"
#include "semihosting.h"

namespace {

using tierml::multiply_by_quantized_multiplier;

// CTest always runs the same cases; kernel_selftest.sh can build another
// seed (KERNEL_SELFTEST_SEED) to explore.
#ifdef TM_SELFTEST_SEED
constexpr uint32_t kSeed = TM_SELFTEST_SEED;
#else
constexpr uint32_t kSeed = 0x5EEDC0DEu;
#endif
constexpr int kConvCases = 6000;
constexpr int kDepthwiseCases = 6000;
constexpr int kFullyConnectedCases = 4000;
constexpr int kAddCases = 6000;

// conv.cc's kStagedMaxTaps: the DSP path stages windows up to this many taps
// on the stack and runs larger ones through a plain loop.
constexpr int32_t kStagedMaxTaps = 1152;

constexpr int32_t kMaxInput = 4096;
constexpr int32_t kMaxWeights = 8192;
constexpr int32_t kMaxOutput = 8192;
constexpr int32_t kMaxChannels = 256;
// Bytes past the expected output that must stay untouched.
constexpr int32_t kGuard = 16;
constexpr int8_t kGuardByte = 0x5A;

// The int8 buffers start anywhere in their first word (see
// misalign_buffers): the interpreter runs on weights where the .tflite file
// put them, and the kernels promise int8 data at any alignment.
constexpr int32_t kMaxMisalignment = 3;
alignas(16) int8_t g_input_storage[kMaxInput + kMaxMisalignment];
alignas(16) int8_t g_input2_storage[kMaxInput + kMaxMisalignment];
alignas(16) int8_t g_weights_storage[kMaxWeights + kMaxMisalignment];
alignas(16) int8_t g_got_storage[kMaxOutput + kGuard + kMaxMisalignment];
int8_t* g_input = g_input_storage;
int8_t* g_input2 = g_input2_storage;
int8_t* g_weights = g_weights_storage;
int8_t* g_got = g_got_storage;
int8_t g_want[kMaxOutput];
int32_t g_bias[kMaxChannels];
int32_t g_folded[kMaxChannels];
int32_t g_multipliers[kMaxChannels];
int32_t g_shifts[kMaxChannels];

// ---------------------------------------------------------------------------
// Deterministic random numbers (xorshift32: no library state, same sequence
// on every core).

uint32_t g_rng = kSeed;

uint32_t next_random() {
  g_rng ^= g_rng << 13;
  g_rng ^= g_rng >> 17;
  g_rng ^= g_rng << 5;
  return g_rng;
}

// Uniform in [lo, hi].
int32_t pick(int32_t lo, int32_t hi) {
  const uint32_t span = static_cast<uint32_t>(hi - lo) + 1u;
  return lo +
         static_cast<int32_t>(span == 0 ? next_random() : next_random() % span);
}

// True with probability 1 / n.
bool one_in(int32_t n) { return pick(1, n) == 1; }

int8_t random_int8() { return static_cast<int8_t>(pick(-128, 127)); }

// Fills data with random bytes, or, in "extreme" cases, only the int8 ends,
// where the products (-128 * -128, 255 * -128) and sums are largest.
void fill_int8(int8_t* data, int32_t count, bool extreme) {
  for (int32_t i = 0; i < count; ++i) {
    data[i] =
        extreme ? static_cast<int8_t>(one_in(2) ? -128 : 127) : random_int8();
  }
}

// Moves each int8 buffer to a random byte offset in its first word.
void misalign_buffers() {
  g_input = g_input_storage + pick(0, kMaxMisalignment);
  g_input2 = g_input2_storage + pick(0, kMaxMisalignment);
  g_weights = g_weights_storage + pick(0, kMaxMisalignment);
  g_got = g_got_storage + pick(0, kMaxMisalignment);
}

// ---------------------------------------------------------------------------
// Output through semihosting (no printf on the device).

// Appends text to a line buffer and writes it on flush.
class Line {
 public:
  Line& text(const char* s) {
    while (*s != '\0' && length_ + 1 < kCapacity) buffer_[length_++] = *s++;
    buffer_[length_] = '\0';
    return *this;
  }
  Line& num(int64_t v) {
    char digits[24];
    int n = 0;
    uint64_t u =
        v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    do {
      digits[n++] = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u != 0);
    if (v < 0) text("-");
    char one[2] = {0, 0};
    while (n > 0) {
      one[0] = digits[--n];
      text(one);
    }
    return *this;
  }
  Line& field(const char* name, int64_t v) {
    return text(" ").text(name).text("=").num(v);
  }
  void flush() {
    text("\n");
    sh_write0(buffer_);
    length_ = 0;
    buffer_[0] = '\0';
  }

 private:
  static constexpr int kCapacity = 512;
  char buffer_[kCapacity] = {};
  int length_ = 0;
};

// How many of a kernel's cases reached each path of interest, so that the
// log shows the random shapes do exercise them.
class Coverage {
 public:
  void reset() { count_ = 0; }
  void hit(const char* name) {
    for (int i = 0; i < count_; ++i) {
      if (strcmp(names_[i], name) == 0) {
        ++hits_[i];
        return;
      }
    }
    if (count_ == kMaxNames) return;
    names_[count_] = name;
    hits_[count_++] = 1;
  }
  void hit_if(bool condition, const char* name) {
    if (condition) hit(name);
  }
  void print(Line& line) const {
    for (int i = 0; i < count_; ++i) line.field(names_[i], hits_[i]);
  }

 private:
  static constexpr int kMaxNames = 16;
  const char* names_[kMaxNames] = {};
  int32_t hits_[kMaxNames] = {};
  int count_ = 0;
};

Coverage g_coverage;

// ---------------------------------------------------------------------------
// Random quantization parameters.

// A per-channel multiplier: mostly TFLite's Q31 range [2^30, 2^31), with its
// ends, zero (a zero scale) and tiny values the fast forms must also round
// like the reference.
int32_t random_multiplier() {
  switch (pick(0, 9)) {
    case 0:
      return 0;
    case 1:
      return pick(1, 1000);
    case 2:
      return 1 << 30;
    case 3:
      return tierml::kInt32Max;
    case 4:
      return pick(tierml::kInt32Max - 1000, tierml::kInt32Max);
    default:
      return pick(1 << 30, tierml::kInt32Max);
  }
}

// A shift: mostly the usual right shifts, sometimes very large ones, and
// positive (left) shifts, which TFLite applies as a wrapping multiplication.
int32_t random_shift() {
  switch (pick(0, 9)) {
    case 0:
      return pick(1, 4);
    case 1:
      return 0;
    case 2:
      return pick(-31, -16);
    default:
      return pick(-15, -1);
  }
}

// Output zero point and an activation range inside int8 (none, ReLU-like
// or a narrow clamp).
struct OutputQuant {
  int32_t offset, act_min, act_max;
};

OutputQuant random_output_quant() {
  OutputQuant q;
  q.offset = pick(-128, 127);
  q.act_min = one_in(2) ? -128 : pick(-128, 127);
  q.act_max = one_in(2) ? 127 : pick(q.act_min, 127);
  return q;
}

// input_offset is minus the input zero point, so in [-127, 128]; extreme
// cases take an end, where x + input_offset reaches 255 or -255.
int32_t random_input_offset(bool extreme = false) {
  if (extreme) return one_in(2) ? 128 : -127;
  return -random_int8();
}

void fill_requant(int32_t channels) {
  for (int32_t c = 0; c < channels; ++c) {
    g_multipliers[c] = random_multiplier();
    g_shifts[c] = random_shift();
  }
}

// How the bias reaches the kernel: a bias tensor or none, each with or
// without the folded bias (bias + input_offset * sum(w)) that prepare
// precomputes for constant weights. Windows wholly inside the input start
// from the folded bias, the others from the bias tensor.
enum class BiasMode { kNone, kPlain, kFolded, kFoldedWithoutBias };

BiasMode random_bias_mode() {
  switch (pick(0, 5)) {
    case 0:
      return BiasMode::kNone;
    case 1:
      return BiasMode::kPlain;
    case 2:
      return BiasMode::kFoldedWithoutBias;
    default:
      return BiasMode::kFolded;
  }
}

const char* bias_mode_name(BiasMode mode) {
  switch (mode) {
    case BiasMode::kNone:
      return "none";
    case BiasMode::kPlain:
      return "plain";
    case BiasMode::kFolded:
      return "folded";
    case BiasMode::kFoldedWithoutBias:
      return "folded_without_tensor";
  }
  return "?";
}

bool has_bias_tensor(BiasMode mode) {
  return mode == BiasMode::kPlain || mode == BiasMode::kFolded;
}

bool has_folded_bias(BiasMode mode) {
  return mode == BiasMode::kFolded || mode == BiasMode::kFoldedWithoutBias;
}

void fill_bias(int32_t channels) {
  for (int32_t c = 0; c < channels; ++c) {
    g_bias[c] = one_in(8) ? pick(-(1 << 24), 1 << 24) : pick(-40000, 40000);
  }
}

// The bias argument and the folded bias for the kernel; weight_sum(c) is the
// sum of output channel c's weights.
template <typename WeightSum>
void prepare_bias(BiasMode mode, int32_t channels, int32_t input_offset,
                  WeightSum weight_sum, const int32_t** bias,
                  const int32_t** folded) {
  fill_bias(channels);
  *bias = has_bias_tensor(mode) ? g_bias : nullptr;
  *folded = nullptr;
  if (!has_folded_bias(mode)) return;
  for (int32_t c = 0; c < channels; ++c)
    g_folded[c] = (*bias ? g_bias[c] : 0) + input_offset * weight_sum(c);
  *folded = g_folded;
}

void cover_bias_and_shifts(BiasMode mode, int32_t channels, bool extreme) {
  g_coverage.hit_if(has_folded_bias(mode), "folded_bias");
  g_coverage.hit_if(!has_bias_tensor(mode), "no_bias_tensor");
  g_coverage.hit_if(extreme, "extreme");
  bool left = false;
  for (int32_t c = 0; c < channels; ++c) left = left || g_shifts[c] > 0;
  g_coverage.hit_if(left, "left_shift");
}

// The reference's last step: requantize, add the output offset, clamp.
int8_t requantize(int32_t acc, int32_t channel, const OutputQuant& q) {
  const int64_t v = int64_t{multiply_by_quantized_multiplier(
                        acc, g_multipliers[channel], g_shifts[channel])} +
                    q.offset;
  return static_cast<int8_t>(v < q.act_min ? q.act_min
                                           : (v > q.act_max ? q.act_max : v));
}

// ---------------------------------------------------------------------------
// Comparison.

void clear_output(int32_t count) {
  memset(g_got, kGuardByte, static_cast<size_t>(count + kGuard));
}

// First index where the kernel's bytes differ from the reference (or it
// wrote past the output), or -1.
int32_t first_difference(int32_t count) {
  for (int32_t i = 0; i < count; ++i)
    if (g_got[i] != g_want[i]) return i;
  for (int32_t i = count; i < count + kGuard; ++i)
    if (g_got[i] != kGuardByte) return i;
  return -1;
}

// Starts a failure message naming the kernel, case and first differing byte;
// the caller adds the case's shape and flushes.
Line& report_failure(Line& line, const char* kernel, int case_number,
                     int32_t index, int32_t count) {
  line.text("FAIL ").text(kernel).text(" case ").num(case_number);
  if (index >= count) {
    line.text(": wrote past the output at byte ").num(index);
  } else {
    line.text(": first differing byte ")
        .num(index)
        .text(" got ")
        .num(g_got[index])
        .text(" want ")
        .num(g_want[index]);
  }
  return line;
}

// ---------------------------------------------------------------------------
// Window geometry shared by CONV_2D and DEPTHWISE_CONV_2D.

struct Window {
  int32_t batches, input_h, input_w;
  int32_t filter_h, filter_w, stride_h, stride_w, dilation_h, dilation_w;
  int32_t output_h, output_w, pad_h, pad_w;
  bool same;
};

// Fills the output extent and padding TFLite derives; false when the window
// does not fit (VALID with a filter larger than the input).
bool finish_window(Window& w) {
  const TmPadding padding = w.same ? kTmPaddingSame : kTmPaddingValid;
  w.output_h = tm_window_out_size(padding, w.input_h, w.filter_h, w.stride_h,
                                  w.dilation_h);
  w.output_w = tm_window_out_size(padding, w.input_w, w.filter_w, w.stride_w,
                                  w.dilation_w);
  if (w.output_h <= 0 || w.output_w <= 0) return false;
  w.pad_h = tm_window_padding(w.stride_h, w.dilation_h, w.input_h, w.filter_h,
                              w.output_h, nullptr);
  w.pad_w = tm_window_padding(w.stride_w, w.dilation_w, w.input_w, w.filter_w,
                              w.output_w, nullptr);
  return true;
}

Window random_window(int32_t max_filter, int32_t max_input) {
  Window w = {};
  w.batches = one_in(4) ? 2 : 1;
  w.input_h = pick(1, max_input);
  w.input_w = pick(1, max_input);
  w.filter_h = pick(1, max_filter);
  w.filter_w = pick(1, max_filter);
  w.stride_h = pick(1, 3);
  w.stride_w = pick(1, 3);
  w.dilation_h = one_in(4) ? pick(2, 3) : 1;
  w.dilation_w = one_in(4) ? pick(2, 3) : 1;
  w.same = one_in(2);
  return w;
}

// Input pixel (y, x) of output pixel (oy, ox) at tap (ky, kx), or false when
// the tap falls on padding.
bool tap_position(const Window& w, int32_t oy, int32_t ox, int32_t ky,
                  int32_t kx, int32_t* y, int32_t* x) {
  *y = oy * w.stride_h - w.pad_h + ky * w.dilation_h;
  *x = ox * w.stride_w - w.pad_w + kx * w.dilation_w;
  return *y >= 0 && *y < w.input_h && *x >= 0 && *x < w.input_w;
}

// Whether some output pixel's window lies wholly inside the input.
bool has_interior(const Window& w) {
  for (int32_t oy = 0; oy < w.output_h; ++oy)
    for (int32_t ox = 0; ox < w.output_w; ++ox) {
      int32_t y, x;
      if (tap_position(w, oy, ox, 0, 0, &y, &x) &&
          tap_position(w, oy, ox, w.filter_h - 1, w.filter_w - 1, &y, &x)) {
        return true;
      }
    }
  return false;
}

// The requantization of the channel where the first difference is.
void describe_channel(Line& line, int32_t channel) {
  line.field("channel", channel)
      .field("mult", g_multipliers[channel])
      .field("shift", g_shifts[channel]);
}

void describe_window(Line& line, const Window& w) {
  line.field("batches", w.batches)
      .field("in_h", w.input_h)
      .field("in_w", w.input_w)
      .field("k_h", w.filter_h)
      .field("k_w", w.filter_w)
      .field("stride_h", w.stride_h)
      .field("stride_w", w.stride_w)
      .field("dil_h", w.dilation_h)
      .field("dil_w", w.dilation_w)
      .field("same", w.same ? 1 : 0);
}

// Odd counts and counts around the 4- and 16-lane widths of the fast paths.
int32_t random_channels() {
  static const int32_t kChannels[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31};
  return kChannels[pick(0, sizeof(kChannels) / sizeof(kChannels[0]) - 1)];
}

// ---------------------------------------------------------------------------
// CONV_2D. Filter [C_out, KH, KW, C_in / groups].

struct ConvCase {
  Window w;
  int32_t input_c, filter_c, output_c, groups;
  int32_t input_offset;
  OutputQuant out;
  BiasMode bias_mode;
  bool extreme;
};

// A random convolution; one case in 16 has a window of kStagedMaxTaps taps
// or more.
bool random_conv(ConvCase& k) {
  const bool big_window = one_in(16);
  if (big_window) {
    k.w = random_window(3, 5);
    k.w.filter_h = 3;
    k.w.filter_w = 3;
    // 3x3x128 is the largest staged window; from 3x3x129 on, the fallback.
    k.input_c =
        one_in(4) ? kStagedMaxTaps / 9 : pick(kStagedMaxTaps / 9 + 1, 160);
    k.groups = 1;
    k.output_c = pick(1, 5);
  } else {
    k.w = random_window(5, 10);
    k.input_c = random_channels();
    k.groups = 1;
    if (one_in(4)) {
      for (int32_t g = 4; g >= 2; --g)
        if (k.input_c % g == 0 && one_in(2)) k.groups = g;
    }
    k.output_c = k.groups * pick(1, 12);
  }
  k.filter_c = k.input_c / k.groups;
  if (!finish_window(k.w)) return false;
  const int32_t taps = k.w.filter_h * k.w.filter_w * k.filter_c;
  if (k.w.batches * k.w.input_h * k.w.input_w * k.input_c > kMaxInput ||
      taps * k.output_c > kMaxWeights ||
      k.w.batches * k.w.output_h * k.w.output_w * k.output_c > kMaxOutput ||
      k.output_c > kMaxChannels) {
    return false;
  }
  k.extreme = one_in(8);
  k.input_offset = random_input_offset(k.extreme);
  k.out = random_output_quant();
  k.bias_mode = random_bias_mode();
  return true;
}

void conv_reference(const ConvCase& k, const int32_t* bias) {
  const Window& w = k.w;
  const int32_t per_group = k.output_c / k.groups;
  int32_t n = 0;
  for (int32_t b = 0; b < w.batches; ++b)
    for (int32_t oy = 0; oy < w.output_h; ++oy)
      for (int32_t ox = 0; ox < w.output_w; ++ox)
        for (int32_t oc = 0; oc < k.output_c; ++oc) {
          const int32_t first_in = (oc / per_group) * k.filter_c;
          int32_t acc = bias ? bias[oc] : 0;
          for (int32_t ky = 0; ky < w.filter_h; ++ky)
            for (int32_t kx = 0; kx < w.filter_w; ++kx) {
              int32_t y, x;
              if (!tap_position(w, oy, ox, ky, kx, &y, &x)) continue;
              const int8_t* in =
                  g_input + ((b * w.input_h + y) * w.input_w + x) * k.input_c +
                  first_in;
              const int8_t* wt =
                  g_weights +
                  ((oc * w.filter_h + ky) * w.filter_w + kx) * k.filter_c;
              for (int32_t c = 0; c < k.filter_c; ++c)
                acc += wt[c] * (in[c] + k.input_offset);
            }
          g_want[n++] = requantize(acc, oc, k.out);
        }
}

// Runs one case; false (after printing why) on a mismatch.
bool run_conv_case(int case_number, const ConvCase& k) {
  misalign_buffers();
  const Window& w = k.w;
  const int32_t taps = w.filter_h * w.filter_w * k.filter_c;
  fill_int8(g_input, w.batches * w.input_h * w.input_w * k.input_c, k.extreme);
  fill_int8(g_weights, taps * k.output_c, k.extreme);
  fill_requant(k.output_c);
  const int32_t* bias;
  const int32_t* folded;
  prepare_bias(
      k.bias_mode, k.output_c, k.input_offset,
      [&](int32_t c) {
        int32_t sum = 0;
        for (int32_t i = 0; i < taps; ++i) sum += g_weights[c * taps + i];
        return sum;
      },
      &bias, &folded);

  TmConvParams p = {};
  p.batches = w.batches;
  p.input_h = w.input_h;
  p.input_w = w.input_w;
  p.input_c = k.input_c;
  p.filter_h = w.filter_h;
  p.filter_w = w.filter_w;
  p.filter_c = k.filter_c;
  p.output_h = w.output_h;
  p.output_w = w.output_w;
  p.output_c = k.output_c;
  p.filters_per_group = k.output_c / k.groups;
  p.stride_h = w.stride_h;
  p.stride_w = w.stride_w;
  p.dilation_h = w.dilation_h;
  p.dilation_w = w.dilation_w;
  p.pad_h = w.pad_h;
  p.pad_w = w.pad_w;
  p.input_offset = k.input_offset;
  p.output_offset = k.out.offset;
  p.act_min = k.out.act_min;
  p.act_max = k.out.act_max;
  p.multipliers = g_multipliers;
  p.shifts = g_shifts;
  p.folded_bias = folded;

  const int32_t count = w.batches * w.output_h * w.output_w * k.output_c;
  clear_output(count);
  cover_bias_and_shifts(k.bias_mode, k.output_c, k.extreme);
  g_coverage.hit_if(taps == kStagedMaxTaps, "1152_taps");
  g_coverage.hit_if(taps > kStagedMaxTaps, "over_1152_taps");
  g_coverage.hit_if(k.groups > 1, "grouped");
  g_coverage.hit_if(w.dilation_h > 1 || w.dilation_w > 1, "dilated");
  g_coverage.hit_if(w.same, "same");
  tm_conv_s8(&p, g_input, g_weights, bias, g_got);
  conv_reference(k, bias);
  const int32_t diff = first_difference(count);
  if (diff < 0) return true;
  Line line;
  report_failure(line, "CONV_2D", case_number, diff, count);
  describe_window(line, w);
  line.field("in_c", k.input_c)
      .field("groups", k.groups)
      .field("out_c", k.output_c)
      .field("taps", taps)
      .field("input_offset", k.input_offset)
      .text(" bias=")
      .text(bias_mode_name(k.bias_mode))
      .field("extreme", k.extreme ? 1 : 0);
  if (diff < count) describe_channel(line, diff % k.output_c);
  line.flush();
  return false;
}

// ---------------------------------------------------------------------------
// DEPTHWISE_CONV_2D. Filter [1, KH, KW, C_out], C_out = C_in * multiplier.

struct DepthwiseCase {
  Window w;
  int32_t input_c, depth_multiplier, output_c;
  int32_t input_offset;
  OutputQuant out;
  BiasMode bias_mode;
  bool extreme;
};

// Half the cases are 3x3 with equal strides on inputs large enough to have
// an interior, the shape of the dedicated 3x3 interior path (which also
// needs a depth multiplier of 1 and the folded bias).
bool random_depthwise(DepthwiseCase& k) {
  const bool three_by_three = one_in(2);
  k.w = random_window(4, three_by_three ? 12 : 9);
  if (three_by_three) {
    k.w.filter_h = k.w.filter_w = 3;
    k.w.stride_h = pick(1, 2);
    k.w.stride_w = k.w.stride_h;
  }
  k.input_c = one_in(8) ? pick(32, 70) : random_channels();
  k.depth_multiplier = one_in(3) ? pick(2, 3) : 1;
  k.output_c = k.input_c * k.depth_multiplier;
  if (!finish_window(k.w)) return false;
  if (k.w.batches * k.w.input_h * k.w.input_w * k.input_c > kMaxInput ||
      k.w.filter_h * k.w.filter_w * k.output_c > kMaxWeights ||
      k.w.batches * k.w.output_h * k.w.output_w * k.output_c > kMaxOutput ||
      k.output_c > kMaxChannels) {
    return false;
  }
  k.extreme = one_in(8);
  k.input_offset = random_input_offset(k.extreme);
  k.out = random_output_quant();
  k.bias_mode = random_bias_mode();
  return true;
}

void depthwise_reference(const DepthwiseCase& k, const int32_t* bias) {
  const Window& w = k.w;
  int32_t n = 0;
  for (int32_t b = 0; b < w.batches; ++b)
    for (int32_t oy = 0; oy < w.output_h; ++oy)
      for (int32_t ox = 0; ox < w.output_w; ++ox)
        for (int32_t oc = 0; oc < k.output_c; ++oc) {
          const int32_t ic = oc / k.depth_multiplier;
          int32_t acc = bias ? bias[oc] : 0;
          for (int32_t ky = 0; ky < w.filter_h; ++ky)
            for (int32_t kx = 0; kx < w.filter_w; ++kx) {
              int32_t y, x;
              if (!tap_position(w, oy, ox, ky, kx, &y, &x)) continue;
              const int32_t in =
                  g_input[((b * w.input_h + y) * w.input_w + x) * k.input_c +
                          ic];
              const int32_t wt =
                  g_weights[(ky * w.filter_w + kx) * k.output_c + oc];
              acc += wt * (in + k.input_offset);
            }
          g_want[n++] = requantize(acc, oc, k.out);
        }
}

bool run_depthwise_case(int case_number, const DepthwiseCase& k) {
  misalign_buffers();
  const Window& w = k.w;
  const int32_t taps = w.filter_h * w.filter_w;
  fill_int8(g_input, w.batches * w.input_h * w.input_w * k.input_c, k.extreme);
  fill_int8(g_weights, taps * k.output_c, k.extreme);
  fill_requant(k.output_c);
  const int32_t* bias;
  const int32_t* folded;
  prepare_bias(
      k.bias_mode, k.output_c, k.input_offset,
      [&](int32_t c) {
        int32_t sum = 0;
        for (int32_t t = 0; t < taps; ++t) sum += g_weights[t * k.output_c + c];
        return sum;
      },
      &bias, &folded);

  TmDepthwiseConvParams p = {};
  p.batches = w.batches;
  p.input_h = w.input_h;
  p.input_w = w.input_w;
  p.input_c = k.input_c;
  p.filter_h = w.filter_h;
  p.filter_w = w.filter_w;
  p.output_h = w.output_h;
  p.output_w = w.output_w;
  p.output_c = k.output_c;
  p.depth_multiplier = k.depth_multiplier;
  p.stride_h = w.stride_h;
  p.stride_w = w.stride_w;
  p.dilation_h = w.dilation_h;
  p.dilation_w = w.dilation_w;
  p.pad_h = w.pad_h;
  p.pad_w = w.pad_w;
  p.input_offset = k.input_offset;
  p.output_offset = k.out.offset;
  p.act_min = k.out.act_min;
  p.act_max = k.out.act_max;
  p.multipliers = g_multipliers;
  p.shifts = g_shifts;
  p.folded_bias = folded;

  const int32_t count = w.batches * w.output_h * w.output_w * k.output_c;
  clear_output(count);
  cover_bias_and_shifts(k.bias_mode, k.output_c, k.extreme);
  g_coverage.hit_if(k.depth_multiplier > 1, "multiplier_over_1");
  g_coverage.hit_if(w.dilation_h > 1 || w.dilation_w > 1, "dilated");
  g_coverage.hit_if(w.filter_h == 3 && w.filter_w == 3 &&
                        k.depth_multiplier == 1 &&
                        has_folded_bias(k.bias_mode) && has_interior(w),
                    "3x3_interior");
  tm_depthwise_conv_s8(&p, g_input, g_weights, bias, g_got);
  depthwise_reference(k, bias);
  const int32_t diff = first_difference(count);
  if (diff < 0) return true;
  Line line;
  report_failure(line, "DEPTHWISE_CONV_2D", case_number, diff, count);
  describe_window(line, w);
  line.field("in_c", k.input_c)
      .field("depth_multiplier", k.depth_multiplier)
      .field("input_offset", k.input_offset)
      .text(" bias=")
      .text(bias_mode_name(k.bias_mode))
      .field("extreme", k.extreme ? 1 : 0);
  if (diff < count) describe_channel(line, diff % k.output_c);
  line.flush();
  return false;
}

// ---------------------------------------------------------------------------
// FULLY_CONNECTED int8. Filter [units, depth]; per-channel weights have a
// zero filter offset, per-tensor ones may have any.

struct FullyConnectedCase {
  int32_t batches, depth, units;
  bool per_channel;
  int32_t input_offset, filter_offset;
  OutputQuant out;
  BiasMode bias_mode;
  bool extreme;
};

bool random_fully_connected(FullyConnectedCase& k) {
  k.batches = pick(1, 4);
  k.depth = one_in(4) ? pick(1, 40) : pick(1, 700);
  k.units = one_in(4) ? random_channels() : pick(1, 40);
  if (k.batches * k.depth > kMaxInput || k.units * k.depth > kMaxWeights ||
      k.batches * k.units > kMaxOutput) {
    return false;
  }
  k.per_channel = !one_in(3);
  k.extreme = one_in(8);
  k.input_offset = random_input_offset(k.extreme);
  k.filter_offset =
      k.per_channel || one_in(2) ? 0 : random_input_offset(k.extreme);
  k.out = random_output_quant();
  k.bias_mode = random_bias_mode();
  // The folded bias is defined only for a zero filter offset.
  if (k.filter_offset != 0 && has_folded_bias(k.bias_mode))
    k.bias_mode = BiasMode::kPlain;
  return true;
}

void fully_connected_reference(const FullyConnectedCase& k,
                               const int32_t* bias) {
  for (int32_t b = 0; b < k.batches; ++b)
    for (int32_t u = 0; u < k.units; ++u) {
      int32_t acc = bias ? bias[u] : 0;
      for (int32_t d = 0; d < k.depth; ++d)
        acc += (g_weights[u * k.depth + d] + k.filter_offset) *
               (g_input[b * k.depth + d] + k.input_offset);
      g_want[b * k.units + u] = requantize(acc, k.per_channel ? u : 0, k.out);
    }
}

bool run_fully_connected_case(int case_number, const FullyConnectedCase& k) {
  misalign_buffers();
  fill_int8(g_input, k.batches * k.depth, k.extreme);
  fill_int8(g_weights, k.units * k.depth, k.extreme);
  fill_requant(k.per_channel ? k.units : 1);
  const int32_t* bias;
  const int32_t* folded;
  prepare_bias(
      k.bias_mode, k.units, k.input_offset,
      [&](int32_t u) {
        int32_t sum = 0;
        for (int32_t d = 0; d < k.depth; ++d) sum += g_weights[u * k.depth + d];
        return sum;
      },
      &bias, &folded);

  TmFullyConnectedParams p = {};
  p.batches = k.batches;
  p.depth = k.depth;
  p.units = k.units;
  p.input_offset = k.input_offset;
  p.filter_offset = k.filter_offset;
  p.output_offset = k.out.offset;
  p.per_channel = k.per_channel ? 1 : 0;
  p.act_min = k.out.act_min;
  p.act_max = k.out.act_max;
  p.multipliers = g_multipliers;
  p.shifts = g_shifts;
  p.folded_bias = folded;

  const int32_t count = k.batches * k.units;
  clear_output(count);
  cover_bias_and_shifts(k.bias_mode, k.per_channel ? k.units : 1, k.extreme);
  g_coverage.hit_if(k.per_channel, "per_channel");
  g_coverage.hit_if(k.filter_offset != 0, "filter_offset");
  tm_fully_connected_s8(&p, g_input, g_weights, bias, g_got);
  fully_connected_reference(k, bias);
  const int32_t diff = first_difference(count);
  if (diff < 0) return true;
  Line line;
  report_failure(line, "FULLY_CONNECTED", case_number, diff, count);
  line.field("batches", k.batches)
      .field("depth", k.depth)
      .field("units", k.units)
      .field("per_channel", k.per_channel ? 1 : 0)
      .field("input_offset", k.input_offset)
      .field("filter_offset", k.filter_offset)
      .text(" bias=")
      .text(bias_mode_name(k.bias_mode))
      .field("extreme", k.extreme ? 1 : 0);
  if (diff < count) describe_channel(line, k.per_channel ? diff % k.units : 0);
  line.flush();
  return false;
}

// ---------------------------------------------------------------------------
// ADD int8: output [1, H, W, C]; input2 either the same shape (Helium's
// path) or broadcast along H and/or W.

struct AddCase {
  int32_t h, w, c;
  bool broadcast_h, broadcast_w;  // input2 has extent 1 there
  bool in_place;                  // output written over input1
  TmAddParams p;
  OutputQuant out;
  bool extreme;
};

// Scaling as TFLite's prepare produces it: both inputs scaled by a factor
// below one after a 20-bit left shift, the sum by roughly 2^-20 times a
// scale ratio (sometimes larger, to reach small and positive shifts).
void random_add_quant(AddCase& k) {
  TmAddParams& p = k.p;
  p.left_shift = 20;
  p.input1_offset = random_input_offset(k.extreme);
  p.input2_offset = random_input_offset(k.extreme);
  p.input1_multiplier = pick(1 << 30, tierml::kInt32Max);
  p.input2_multiplier = one_in(8) ? 0 : pick(1 << 30, tierml::kInt32Max);
  p.input1_shift = one_in(2) ? -1 : pick(-12, -1);
  p.input2_shift = one_in(2) ? -1 : pick(-12, -1);
  p.output_multiplier = pick(1 << 30, tierml::kInt32Max);
  p.output_shift = one_in(8) ? pick(-10, 1) : pick(-26, -11);
  k.out = random_output_quant();
  p.output_offset = k.out.offset;
  p.act_min = k.out.act_min;
  p.act_max = k.out.act_max;
}

bool random_add(AddCase& k) {
  k = AddCase{};
  k.h = pick(1, 8);
  k.w = pick(1, 12);
  k.c = one_in(3) ? pick(1, 70) : random_channels();
  const bool broadcast = one_in(3);
  k.broadcast_h = broadcast && one_in(2);
  k.broadcast_w = broadcast && (!k.broadcast_h || one_in(2));
  if (k.h * k.w * k.c > kMaxInput) return false;
  const TmShape out_shape = {4, {1, k.h, k.w, k.c}};
  const TmShape in2_shape = {
      4, {1, k.broadcast_h ? 1 : k.h, k.broadcast_w ? 1 : k.w, k.c}};
  if (tm_broadcast_prepare(&out_shape, &in2_shape, &out_shape,
                           &k.p.broadcast) != kTmOk) {
    return false;
  }
  k.extreme = one_in(8);
  k.in_place = k.p.broadcast.same && one_in(8);
  random_add_quant(k);
  return true;
}

// TFLite's reference AddElementwise for one element.
int8_t add_reference_one(const AddCase& k, int32_t x1, int32_t x2) {
  const TmAddParams& p = k.p;
  const int32_t shifted1 = (x1 + p.input1_offset) * (1 << p.left_shift);
  const int32_t shifted2 = (x2 + p.input2_offset) * (1 << p.left_shift);
  const int32_t scaled1 = multiply_by_quantized_multiplier(
      shifted1, p.input1_multiplier, p.input1_shift);
  const int32_t scaled2 = multiply_by_quantized_multiplier(
      shifted2, p.input2_multiplier, p.input2_shift);
  const int32_t raw =
      multiply_by_quantized_multiplier(scaled1 + scaled2, p.output_multiplier,
                                       p.output_shift) +
      p.output_offset;
  return static_cast<int8_t>(tierml::clamp_i32(raw, p.act_min, p.act_max));
}

void add_reference(const AddCase& k) {
  const int32_t w2 = k.broadcast_w ? 1 : k.w;
  for (int32_t y = 0; y < k.h; ++y)
    for (int32_t x = 0; x < k.w; ++x)
      for (int32_t c = 0; c < k.c; ++c) {
        const int32_t o = (y * k.w + x) * k.c + c;
        const int32_t i2 =
            ((k.broadcast_h ? 0 : y) * w2 + (k.broadcast_w ? 0 : x)) * k.c + c;
        g_want[o] = add_reference_one(k, g_input[o], g_input2[i2]);
      }
}

bool run_add_case(int case_number, const AddCase& k) {
  misalign_buffers();
  const int32_t count = k.h * k.w * k.c;
  const int32_t count2 =
      (k.broadcast_h ? 1 : k.h) * (k.broadcast_w ? 1 : k.w) * k.c;
  fill_int8(g_input, count, k.extreme);
  fill_int8(g_input2, count2, k.extreme);
  clear_output(count);
  g_coverage.hit(k.p.broadcast.same ? "same_shape" : "broadcast");
  g_coverage.hit_if(k.p.broadcast.same && count % 4 != 0, "same_shape_tail");
  g_coverage.hit_if(k.p.output_shift >= 0, "out_shift_ge_0");
  g_coverage.hit_if(k.extreme, "extreme");
  g_coverage.hit_if(k.in_place, "in_place");
  if (k.in_place) {
    // The interpreter may give ADD its first operand's buffer as output.
    memcpy(g_got, g_input, static_cast<size_t>(count));
    tm_add_s8(&k.p, g_got, g_input2, g_got);
  } else {
    tm_add_s8(&k.p, g_input, g_input2, g_got);
  }
  add_reference(k);
  const int32_t diff = first_difference(count);
  if (diff < 0) return true;
  const TmAddParams& p = k.p;
  Line line;
  report_failure(line, "ADD", case_number, diff, count);
  line.field("h", k.h)
      .field("w", k.w)
      .field("c", k.c)
      .field("broadcast_h", k.broadcast_h ? 1 : 0)
      .field("broadcast_w", k.broadcast_w ? 1 : 0)
      .field("in_place", k.in_place ? 1 : 0)
      .field("in1_offset", p.input1_offset)
      .field("in1_mult", p.input1_multiplier)
      .field("in1_shift", p.input1_shift)
      .field("in2_offset", p.input2_offset)
      .field("in2_mult", p.input2_multiplier)
      .field("in2_shift", p.input2_shift)
      .field("out_mult", p.output_multiplier)
      .field("out_shift", p.output_shift)
      .field("extreme", k.extreme ? 1 : 0);
  line.flush();
  return false;
}

// ---------------------------------------------------------------------------

// Draws cases until `cases` valid ones ran, then prints how many of them
// reached each path of interest; stops at the kernel's first mismatch.
template <typename Case, typename Draw, typename Run>
bool run_kernel(const char* kernel, int cases, Draw draw, Run run) {
  g_coverage.reset();
  int done = 0;
  while (done < cases) {
    Case k = {};
    if (!draw(k)) continue;
    if (!run(done, k)) return false;
    ++done;
  }
  Line line;
  line.text("ok ").text(kernel).text(": ").num(done).text(" cases");
  g_coverage.print(line);
  line.flush();
  return true;
}

}  // namespace

int main() {
  Line line;
  line.text("int8 kernel self-test, seed ")
      .num(kSeed)
#if defined(__ARM_FEATURE_MVE)
      .text(", Helium paths")
#elif defined(__ARM_FEATURE_DSP)
      .text(", Armv7E-M DSP paths")
#endif
      .flush();
  // Every kernel runs even after another failed: a broken shared helper
  // (the Helium requantization, say) then shows in each kernel using it.
  bool ok =
      run_kernel<ConvCase>("CONV_2D", kConvCases, random_conv, run_conv_case);
  ok &= run_kernel<DepthwiseCase>("DEPTHWISE_CONV_2D", kDepthwiseCases,
                                  random_depthwise, run_depthwise_case);
  ok &= run_kernel<FullyConnectedCase>("FULLY_CONNECTED", kFullyConnectedCases,
                                       random_fully_connected,
                                       run_fully_connected_case);
  ok &= run_kernel<AddCase>("ADD", kAddCases, random_add, run_add_case);
  return ok ? 0 : 1;
}
