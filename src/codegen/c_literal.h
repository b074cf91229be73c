// C99 source text for values the code generator emits: numeric literals that
// read back to exactly the host's value, constant arrays, and designated
// struct initializers. Kept apart from the operators so that every params
// struct is written by the same few rules.
#ifndef TIERML_CODEGEN_C_LITERAL_H_
#define TIERML_CODEGEN_C_LITERAL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tierml/tensor.h"

namespace tierml::codegen {

// "-5", "(-2147483647 - 1)" for INT32_MIN, "12345678901LL" beyond 32 bits.
std::string int_literal(int64_t value);
// Shortest form that reads back to the same float ("0.25f", "1.0f",
// "3.40282347e+38f"); HUGE_VALF for infinities (math.h).
std::string float_literal(float value);
std::string double_literal(double value);

// The C element type of a tensor type ("int8_t"), or "" if none.
const char* c_type_name(TmType type);
// The enumerator of a tensor type in tierml/tensor.h ("kTmInt8").
std::string type_enumerator(TmType type);

// "static const int8_t c5[12] = {\n  1, 2, ...\n};\n" from little-endian
// element bytes of type. Floats are written with float_literal.
std::string const_array(const std::string& name, TmType type,
                        const uint8_t* bytes, size_t count);
std::string const_i32_array(const std::string& name,
                            const std::vector<int32_t>& values);

// A designated initializer: {.field = value, ...}. Field names come from the
// kernels' params structs, so the C compiler checks every one.
class Initializer {
 public:
  Initializer& field(std::string_view name, std::string value);
  Initializer& i32(std::string_view name, int64_t value) {
    return field(name, int_literal(value));
  }
  Initializer& f32(std::string_view name, float value) {
    return field(name, float_literal(value));
  }
  Initializer& f64(std::string_view name, double value) {
    return field(name, double_literal(value));
  }
  Initializer& i32s(std::string_view name, const int32_t* values, int count);
  Initializer& nested(std::string_view name, const Initializer& value);
  Initializer& nested_list(std::string_view name,
                           const std::vector<Initializer>& values);
  // "NULL" when value is empty.
  Initializer& pointer(std::string_view name, const std::string& value) {
    return field(name, value.empty() ? "NULL" : value);
  }

  std::string str(int indent = 0) const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// NAME is valid as a C identifier (and as a file name part).
bool is_c_identifier(std::string_view name);
// A C identifier made from text (a file stem): other characters become '_'.
std::string to_c_identifier(std::string_view text);

}  // namespace tierml::codegen

#endif  // TIERML_CODEGEN_C_LITERAL_H_
