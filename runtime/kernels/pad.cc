#include "kernels/pad.h"

#include <string.h>

namespace {

bool read_padding(const TmTensor* paddings, int32_t i, int32_t* value) {
  if (paddings->type == kTmInt32) {
    *value = static_cast<const int32_t*>(paddings->data)[i];
    return true;
  }
  const int64_t wide = static_cast<const int64_t*>(paddings->data)[i];
  if (wide < -2147483647 || wide > 2147483647) return false;
  *value = static_cast<int32_t>(wide);
  return true;
}

template <typename T>
void fill(T* out, int32_t count, T value) {
  for (int32_t i = 0; i < count; ++i) out[i] = value;
}

// Walks the output one innermost row at a time: a row whose outer index lies
// in the padding is all fill, any other is fill, an input row, fill.
template <typename T>
void pad(const TmPadParams* p, const T* input, T pad_value, T* output) {
  constexpr int kLast = TM_MAX_DIMS - 1;
  int32_t in_stride[TM_MAX_DIMS];
  in_stride[kLast] = 1;
  for (int d = kLast - 1; d >= 0; --d) {
    in_stride[d] = in_stride[d + 1] * p->input_dims[d + 1];
  }
  int32_t rows = 1;
  for (int d = 0; d < kLast; ++d) rows *= p->output_dims[d];
  const int32_t row = p->output_dims[kLast];
  const int32_t left = p->left[kLast];
  const int32_t width = p->input_dims[kLast];
  const int32_t right = row - left - width;

  int32_t index[TM_MAX_DIMS] = {};
  for (int32_t r = 0; r < rows; ++r, output += row) {
    bool inside = true;
    int32_t in_offset = 0;
    for (int d = 0; d < kLast; ++d) {
      const int32_t at = index[d] - p->left[d];
      if (at < 0 || at >= p->input_dims[d]) {
        inside = false;
        break;
      }
      in_offset += at * in_stride[d];
    }
    if (inside) {
      fill(output, left, pad_value);
      memcpy(output + left, input + in_offset, sizeof(T) * width);
      fill(output + left + width, right, pad_value);
    } else {
      fill(output, row, pad_value);
    }
    for (int d = kLast - 1; d >= 0; --d) {
      if (++index[d] < p->output_dims[d]) break;
      index[d] = 0;
    }
  }
}

}  // namespace

extern "C" {

TmStatus tm_pad_prepare(const TmTensor* input, const TmTensor* paddings,
                        const TmTensor* constant_values, const TmTensor* output,
                        TmPadParams* params) {
  const TmType type = input->type;
  if (type != kTmInt8 && type != kTmInt16 && type != kTmInt32 &&
      type != kTmFloat32) {
    return kTmErrorUnsupported;
  }
  if (output->type != type) return kTmErrorBadArgument;
  const int32_t rank = input->shape.rank;
  if (rank > TM_MAX_DIMS || output->shape.rank != rank) {
    return kTmErrorBadArgument;
  }
  if (paddings->type != kTmInt32 && paddings->type != kTmInt64) {
    return kTmErrorUnsupported;
  }
  if (paddings->data == nullptr) return kTmErrorUnsupported;
  if (tm_shape_elements(&paddings->shape) != 2 * rank) {
    return kTmErrorBadArgument;
  }
  if (constant_values != nullptr) {
    if (constant_values->type != type ||
        tm_shape_elements(&constant_values->shape) != 1) {
      return kTmErrorBadArgument;
    }
    // TFLM pads int8 with the constant's raw value, which is only right if
    // it is quantized like the output.
    if (type == kTmInt8) {
      const TmQuant& c = constant_values->quant;
      const TmQuant& o = output->quant;
      if (c.count < 1 || o.count < 1 || c.zero_point != o.zero_point ||
          c.scales[0] != o.scales[0]) {
        return kTmErrorBadArgument;
      }
    }
  }
  const int32_t shift = TM_MAX_DIMS - rank;
  for (int d = 0; d < TM_MAX_DIMS; ++d) {
    params->input_dims[d] = 1;
    params->output_dims[d] = 1;
    params->left[d] = 0;
  }
  for (int32_t d = 0; d < rank; ++d) {
    int32_t before, after;
    if (!read_padding(paddings, 2 * d, &before) ||
        !read_padding(paddings, 2 * d + 1, &after) || before < 0 || after < 0) {
      return kTmErrorBadArgument;
    }
    const int64_t expected =
        static_cast<int64_t>(input->shape.dims[d]) + before + after;
    if (expected != output->shape.dims[d]) return kTmErrorBadArgument;
    params->input_dims[shift + d] = input->shape.dims[d];
    params->output_dims[shift + d] = output->shape.dims[d];
    params->left[shift + d] = before;
  }
  params->default_pad = 0;
  if (type == kTmInt8) {
    const int32_t zero_point =
        output->quant.count >= 1 ? output->quant.zero_point : 0;
    if (zero_point < -128 || zero_point > 127) return kTmErrorBadArgument;
    params->default_pad = zero_point;
  }
  return kTmOk;
}

void tm_pad_s8(const TmPadParams* p, const int8_t* input, int8_t pad_value,
               int8_t* output) {
  pad(p, input, pad_value, output);
}

void tm_pad_s16(const TmPadParams* p, const int16_t* input, int16_t pad_value,
                int16_t* output) {
  pad(p, input, pad_value, output);
}

void tm_pad_i32(const TmPadParams* p, const int32_t* input, int32_t pad_value,
                int32_t* output) {
  pad(p, input, pad_value, output);
}

void tm_pad_f32(const TmPadParams* p, const float* input, float pad_value,
                float* output) {
  pad(p, input, pad_value, output);
}

}  // extern "C"
