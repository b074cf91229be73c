// Shapes as text for error messages ("[1,2,12,64]"), without stdio.
#ifndef TIERML_INTERPRETER_OPS_SHAPE_TEXT_H_
#define TIERML_INTERPRETER_OPS_SHAPE_TEXT_H_

#include <stddef.h>
#include <stdint.h>

#include "tierml/tensor.h"

namespace tierml {

// Room for TM_MAX_DIMS signed 32-bit extents, commas and brackets.
constexpr size_t kShapeTextSize = 2 + TM_MAX_DIMS * 12;

struct ShapeText {
  char text[kShapeTextSize];
  explicit ShapeText(const TmShape& shape) {
    size_t n = 0;
    text[n++] = '[';
    for (int32_t d = 0; d < shape.rank && d < TM_MAX_DIMS; ++d) {
      if (d > 0) text[n++] = ',';
      int64_t v = shape.dims[d];
      if (v < 0) {
        text[n++] = '-';
        v = -v;
      }
      char digits[12];
      int count = 0;
      do {
        digits[count++] = static_cast<char>('0' + v % 10);
        v /= 10;
      } while (v > 0);
      while (count > 0) text[n++] = digits[--count];
    }
    text[n++] = ']';
    text[n] = '\0';
  }
  const char* c_str() const { return text; }
};

}  // namespace tierml

#endif  // TIERML_INTERPRETER_OPS_SHAPE_TEXT_H_
