#include "kernels/pooling.h"

#include <float.h>

#include "kernels/quantization.h"
#include "kernels/window_padding.h"
#include "kernels/x86/average_pool_avx2.h"

namespace tierml {
namespace {

int32_t max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
int32_t min_i32(int32_t a, int32_t b) { return a < b ? a : b; }

// The window walk shared by both poolings: for each output element, folds
// step(acc, value) over the window clipped to the input (row by row, as
// TFLite does, so float sums round the same), then finish(acc, count).
template <typename T, typename Acc, typename Step, typename Finish>
void pool(const TmPoolParams& p, const T* input, T* output, Acc init, Step step,
          Finish finish) {
  const int32_t row = p.input_w * p.depth;
  for (int32_t b = 0; b < p.batches; ++b) {
    const T* image = input + b * p.input_h * row;
    for (int32_t oy = 0; oy < p.output_h; ++oy) {
      const int32_t y0 = oy * p.stride_h - p.pad_h;
      const int32_t fy_begin = max_i32(0, -y0);
      const int32_t fy_end = min_i32(p.filter_h, p.input_h - y0);
      for (int32_t ox = 0; ox < p.output_w; ++ox) {
        const int32_t x0 = ox * p.stride_w - p.pad_w;
        const int32_t fx_begin = max_i32(0, -x0);
        const int32_t fx_end = min_i32(p.filter_w, p.input_w - x0);
        for (int32_t c = 0; c < p.depth; ++c) {
          Acc acc = init;
          int32_t count = 0;
          for (int32_t fy = fy_begin; fy < fy_end; ++fy) {
            const T* line = image + (y0 + fy) * row + c;
            for (int32_t fx = fx_begin; fx < fx_end; ++fx) {
              acc = step(acc, line[(x0 + fx) * p.depth]);
              ++count;
            }
          }
          *output++ = finish(acc, count);
        }
      }
    }
  }
}

template <typename T>
void average_quantized(const TmPoolParams& p, const T* input, T* output) {
  pool(
      p, input, output, int32_t{0}, [](int32_t acc, T v) { return acc + v; },
      [&p](int32_t sum, int32_t count) {
        // A window always holds at least one input element (prepare checks
        // the geometry), so count > 0.
        return static_cast<T>(
            clamp_i32(average_of(sum, count), p.act_min, p.act_max));
      });
}

template <typename T>
void max_quantized(const TmPoolParams& p, const T* input, T* output,
                   int32_t lowest) {
  pool(
      p, input, output, lowest,
      [](int32_t acc, T v) { return v > acc ? static_cast<int32_t>(v) : acc; },
      [&p](int32_t max, int32_t) {
        return static_cast<T>(clamp_i32(max, p.act_min, p.act_max));
      });
}

float clamp_f(float x, float lo, float hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

}  // namespace

void average_pool_s8_portable(const TmPoolParams& p, const int8_t* input,
                              int8_t* output) {
  average_quantized(p, input, output);
}

}  // namespace tierml

extern "C" {

TmStatus tm_pool_prepare(const TmPoolAttrs* attrs, const TmTensor* input,
                         const TmTensor* output, TmPoolParams* p) {
  if (input->type != output->type) return kTmErrorBadArgument;
  if (input->shape.rank != 4 || output->shape.rank != 4)
    return kTmErrorBadArgument;
  if (attrs->stride_h <= 0 || attrs->stride_w <= 0 || attrs->filter_h <= 0 ||
      attrs->filter_w <= 0)
    return kTmErrorBadArgument;
  if (attrs->padding != kTmPaddingSame && attrs->padding != kTmPaddingValid)
    return kTmErrorUnsupported;
  p->batches = input->shape.dims[0];
  p->input_h = input->shape.dims[1];
  p->input_w = input->shape.dims[2];
  p->depth = input->shape.dims[3];
  p->filter_h = attrs->filter_h;
  p->filter_w = attrs->filter_w;
  p->stride_h = attrs->stride_h;
  p->stride_w = attrs->stride_w;
  p->output_h = tm_window_out_size(attrs->padding, p->input_h, p->filter_h,
                                   p->stride_h, 1);
  p->output_w = tm_window_out_size(attrs->padding, p->input_w, p->filter_w,
                                   p->stride_w, 1);
  if (output->shape.dims[0] != p->batches ||
      output->shape.dims[3] != p->depth ||
      output->shape.dims[1] != p->output_h ||
      output->shape.dims[2] != p->output_w)
    return kTmErrorBadArgument;
  p->pad_h = tm_window_padding(p->stride_h, 1, p->input_h, p->filter_h,
                               p->output_h, nullptr);
  p->pad_w = tm_window_padding(p->stride_w, 1, p->input_w, p->filter_w,
                               p->output_w, nullptr);
  // A window lying wholly in the padding would average nothing.
  if (p->output_h > 0 &&
      (p->pad_h >= p->filter_h ||
       (p->output_h - 1) * p->stride_h - p->pad_h >= p->input_h))
    return kTmErrorBadArgument;
  if (p->output_w > 0 &&
      (p->pad_w >= p->filter_w ||
       (p->output_w - 1) * p->stride_w - p->pad_w >= p->input_w))
    return kTmErrorBadArgument;
  if (input->type == kTmFloat32)
    return tierml::activation_range_float(attrs->activation, &p->act_min_f,
                                          &p->act_max_f);
  if (input->type != kTmInt8 && input->type != kTmInt16)
    return kTmErrorUnsupported;
  if (output->quant.count != 1) return kTmErrorBadArgument;
  return tierml::activation_range_quantized(
      attrs->activation, output->type, output->quant.scales[0],
      output->quant.zero_point, &p->act_min, &p->act_max);
}

void tm_average_pool_s8(const TmPoolParams* p, const int8_t* input,
                        int8_t* output) {
#ifdef TM_X86_AVX2
  if (tierml::cpu_has_avx2()) {
    tierml::average_pool_s8_avx2(*p, input, output);
    return;
  }
#endif
  tierml::average_pool_s8_portable(*p, input, output);
}

void tm_average_pool_s16(const TmPoolParams* p, const int16_t* input,
                         int16_t* output) {
  tierml::average_quantized(*p, input, output);
}

void tm_average_pool_f32(const TmPoolParams* p, const float* input,
                         float* output) {
  tierml::pool(
      *p, input, output, 0.0f, [](float acc, float v) { return acc + v; },
      [p](float sum, int32_t count) {
        return tierml::clamp_f(sum / static_cast<float>(count), p->act_min_f,
                               p->act_max_f);
      });
}

void tm_max_pool_s8(const TmPoolParams* p, const int8_t* input,
                    int8_t* output) {
  tierml::max_quantized(*p, input, output, -128);
}

void tm_max_pool_s16(const TmPoolParams* p, const int16_t* input,
                     int16_t* output) {
  tierml::max_quantized(*p, input, output, -32768);
}

void tm_max_pool_f32(const TmPoolParams* p, const float* input, float* output) {
  tierml::pool(
      *p, input, output, -FLT_MAX,
      [](float acc, float v) { return v > acc ? v : acc; },
      [p](float max, int32_t) {
        return tierml::clamp_f(max, p->act_min_f, p->act_max_f);
      });
}

}  // extern "C"
