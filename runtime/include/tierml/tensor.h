/* Tensor descriptions shared by kernels, the interpreter and generated code.
 * Plain C so that generated C99 sources can include it. */
#ifndef TIERML_TENSOR_H_
#define TIERML_TENSOR_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TM_MAX_DIMS 6

/* Values follow the TensorType enum of the .tflite schema so that a type read
 * from a model needs no translation. */
typedef enum {
  kTmFloat32 = 0,
  kTmFloat16 = 1,
  kTmInt32 = 2,
  kTmUInt8 = 3,
  kTmInt64 = 4,
  kTmString = 5,
  kTmBool = 6,
  kTmInt16 = 7,
  kTmComplex64 = 8,
  kTmInt8 = 9,
  kTmFloat64 = 10,
  kTmComplex128 = 11,
  kTmUInt64 = 12,
  kTmResource = 13,
  kTmVariant = 14,
  kTmUInt32 = 15,
  kTmUInt16 = 16,
  kTmInt4 = 17,
} TmType;

typedef struct {
  int32_t rank;
  int32_t dims[TM_MAX_DIMS];
} TmShape;

/* Affine quantization: real = scale * (q - zero_point). Per-channel
 * quantization (count > 1) carries one scale per slice along
 * quantized_dimension; TFLite requires those slices to share one zero point,
 * which the loaders check before filling zero_point. */
typedef struct {
  int32_t count; /* 0: not quantized, 1: per tensor, N: per channel */
  int32_t quantized_dimension;
  int32_t zero_point;
  const float* scales; /* count entries, 4-byte aligned */
} TmQuant;

typedef struct {
  TmType type;
  TmShape shape;
  TmQuant quant;
  void* data;   /* NULL until planned; constant tensors point into the model */
  size_t bytes; /* element count * element size */
} TmTensor;

/* Size of one element, 0 for types without a fixed size. */
size_t tm_type_size(TmType type);
/* Product of the dimensions; 1 for a scalar. */
int32_t tm_shape_elements(const TmShape* shape);
/* Name of a type as in the .tflite schema ("INT8"), "UNKNOWN" if out of range. */
const char* tm_type_name(TmType type);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_TENSOR_H_ */
