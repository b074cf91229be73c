#include "codegen/c_literal.h"

#include <cmath>
#include <cstdio>
#include <cstring>

namespace tierml::codegen {
namespace {

// Values per line in constant arrays: short lines stay readable in an editor
// and diff well.
constexpr int kValuesPerLine = 16;

template <typename T>
T load(const uint8_t* bytes, size_t index) {
  T value;
  std::memcpy(&value, bytes + index * sizeof(T), sizeof(T));
  return value;
}

// A literal without '.', 'e' or a name would be read as an integer.
std::string with_fraction(std::string text) {
  if (text.find_first_of(".eEnN") == std::string::npos) text += ".0";
  return text;
}

}  // namespace

std::string int_literal(int64_t value) {
  if (value == INT64_MIN) return "(-9223372036854775807LL - 1)";
  if (value == INT32_MIN) return "(-2147483647 - 1)";
  std::string text = std::to_string(value);
  if (value > INT32_MAX || value < INT32_MIN) text += "LL";
  return text;
}

std::string float_literal(float value) {
  if (std::isinf(value)) return value > 0 ? "HUGE_VALF" : "(-HUGE_VALF)";
  // 9 significant digits always read back to the same float.
  char text[32];
  std::snprintf(text, sizeof(text), "%.9g", static_cast<double>(value));
  return with_fraction(text) + "f";
}

std::string double_literal(double value) {
  if (std::isinf(value)) return value > 0 ? "HUGE_VAL" : "(-HUGE_VAL)";
  char text[40];
  std::snprintf(text, sizeof(text), "%.17g", value);
  return with_fraction(text);
}

const char* c_type_name(TmType type) {
  switch (type) {
    case kTmFloat32:
      return "float";
    case kTmInt32:
      return "int32_t";
    case kTmUInt8:
      return "uint8_t";
    case kTmInt64:
      return "int64_t";
    case kTmBool:
      return "uint8_t";
    case kTmInt16:
      return "int16_t";
    case kTmInt8:
      return "int8_t";
    case kTmFloat64:
      return "double";
    case kTmUInt32:
      return "uint32_t";
    case kTmUInt16:
      return "uint16_t";
    default:
      return "";
  }
}

std::string type_enumerator(TmType type) {
  switch (type) {
    case kTmFloat32:
      return "kTmFloat32";
    case kTmInt32:
      return "kTmInt32";
    case kTmUInt8:
      return "kTmUInt8";
    case kTmInt64:
      return "kTmInt64";
    case kTmInt16:
      return "kTmInt16";
    case kTmInt8:
      return "kTmInt8";
    default:
      return "(TmType)" + std::to_string(static_cast<int>(type));
  }
}

std::string const_array(const std::string& name, TmType type,
                        const uint8_t* bytes, size_t count) {
  std::string text = "static const " + std::string(c_type_name(type)) + " " +
                     name + "[" + std::to_string(count == 0 ? 1 : count) +
                     "] = {";
  for (size_t i = 0; i < count; ++i) {
    text += (i % kValuesPerLine == 0) ? "\n    " : " ";
    switch (type) {
      case kTmFloat32:
        text += float_literal(load<float>(bytes, i));
        break;
      case kTmInt32:
        text += int_literal(load<int32_t>(bytes, i));
        break;
      case kTmInt64:
        text += int_literal(load<int64_t>(bytes, i));
        break;
      case kTmInt16:
        text += int_literal(load<int16_t>(bytes, i));
        break;
      case kTmInt8:
        text += int_literal(load<int8_t>(bytes, i));
        break;
      case kTmUInt16:
        text += int_literal(load<uint16_t>(bytes, i));
        break;
      case kTmUInt32:
        text += int_literal(load<uint32_t>(bytes, i)) + "u";
        break;
      default:  // UINT8, BOOL
        text += int_literal(load<uint8_t>(bytes, i));
        break;
    }
    if (i + 1 < count) text += ",";
  }
  if (count == 0) text += "0";
  return text + "\n};\n";
}

std::string const_i32_array(const std::string& name,
                            const std::vector<int32_t>& values) {
  return const_array(name, kTmInt32,
                     reinterpret_cast<const uint8_t*>(values.data()),
                     values.size());
}

Initializer& Initializer::field(std::string_view name, std::string value) {
  fields_.emplace_back(std::string(name), std::move(value));
  return *this;
}

Initializer& Initializer::i32s(std::string_view name, const int32_t* values,
                               int count) {
  std::string text = "{";
  for (int i = 0; i < count; ++i) {
    text += (i ? ", " : "") + int_literal(values[i]);
  }
  return field(name, text + "}");
}

Initializer& Initializer::nested(std::string_view name,
                                 const Initializer& value) {
  return field(name, value.str(-1));
}

Initializer& Initializer::nested_list(std::string_view name,
                                      const std::vector<Initializer>& values) {
  std::string text = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    text += (i ? ", " : "") + values[i].str(-1);
  }
  return field(name, text + "}");
}

std::string Initializer::str(int indent) const {
  // indent < 0: one line, for nested structs.
  if (indent < 0) {
    std::string text = "{";
    for (size_t i = 0; i < fields_.size(); ++i) {
      text += (i ? ", ." : ".") + fields_[i].first + " = " + fields_[i].second;
    }
    return text + "}";
  }
  const std::string pad(static_cast<size_t>(indent) + 4, ' ');
  std::string text = "{\n";
  for (size_t i = 0; i < fields_.size(); ++i) {
    text += pad + "." + fields_[i].first + " = " + fields_[i].second +
            (i + 1 < fields_.size() ? ",\n" : "\n");
  }
  return text + std::string(static_cast<size_t>(indent), ' ') + "}";
}

bool is_c_identifier(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && i > 0)) return false;
  }
  return true;
}

std::string to_c_identifier(std::string_view text) {
  std::string name;
  for (const char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '_';
    name += ok ? c : '_';
  }
  if (name.size() > 48) name.resize(48);
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) name = "m_" + name;
  return name;
}

}  // namespace tierml::codegen
