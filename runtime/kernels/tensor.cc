#include "tierml/tensor.h"

extern "C" {

size_t tm_type_size(TmType type) {
  switch (type) {
    case kTmFloat32:
    case kTmInt32:
    case kTmUInt32:
      return 4;
    case kTmFloat16:
    case kTmInt16:
    case kTmUInt16:
      return 2;
    case kTmUInt8:
    case kTmInt8:
    case kTmBool:
      return 1;
    case kTmInt64:
    case kTmUInt64:
    case kTmFloat64:
    case kTmComplex64:
      return 8;
    case kTmComplex128:
      return 16;
    default:
      return 0;
  }
}

int32_t tm_shape_elements(const TmShape* shape) {
  int32_t n = 1;
  for (int32_t i = 0; i < shape->rank; ++i) n *= shape->dims[i];
  return n;
}

const char* tm_type_name(TmType type) {
  static const char* const kNames[] = {
      "FLOAT32", "FLOAT16", "INT32",      "UINT8",   "INT64",    "STRING",
      "BOOL",    "INT16",   "COMPLEX64",  "INT8",    "FLOAT64",  "COMPLEX128",
      "UINT64",  "RESOURCE", "VARIANT",   "UINT32",  "UINT16",   "INT4"};
  const int index = static_cast<int>(type);
  if (index < 0 || index >= static_cast<int>(sizeof(kNames) / sizeof(kNames[0])))
    return "UNKNOWN";
  return kNames[index];
}

}  // extern "C"
