#include "io/npy.h"

#include <cctype>
#include <cstring>

namespace tierml::io {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicBytes = 6;

struct Dtype {
  TmType type;
  const char* descr;  // as tierml writes it
};

constexpr Dtype kDtypes[] = {
    {kTmFloat32, "<f4"}, {kTmFloat16, "<f2"}, {kTmFloat64, "<f8"},
    {kTmInt8, "|i1"},    {kTmUInt8, "|u1"},   {kTmInt16, "<i2"},
    {kTmUInt16, "<u2"},  {kTmInt32, "<i4"},   {kTmUInt32, "<u4"},
    {kTmInt64, "<i8"},   {kTmUInt64, "<u8"},  {kTmBool, "|b1"},
};

// Accepts any byte-order mark that means little-endian here ('<', '=' and,
// for one-byte types, '|').
bool type_from_descr(const std::string& descr, TmType* type) {
  if (descr.size() < 3) return false;
  const char order = descr[0];
  const std::string kind = descr.substr(1);
  for (const Dtype& d : kDtypes) {
    if (kind != std::string(d.descr + 1)) continue;
    const bool one_byte = tm_type_size(d.type) == 1;
    if (order == '<' || order == '=' || (one_byte && order == '|')) {
      *type = d.type;
      return true;
    }
  }
  return false;
}

// Value of key in the header's Python dict literal, as raw text.
bool dict_value(const std::string& header, const std::string& key,
                std::string* value) {
  for (const char quote : {'\'', '"'}) {
    const std::string needle = quote + key + quote;
    size_t at = header.find(needle);
    if (at == std::string::npos) continue;
    at = header.find(':', at + needle.size());
    if (at == std::string::npos) return false;
    ++at;
    while (at < header.size() && header[at] == ' ') ++at;
    size_t end = at;
    if (end < header.size() && header[end] == '(') {
      end = header.find(')', end);
      if (end == std::string::npos) return false;
      ++end;
    } else if (end < header.size() &&
               (header[end] == '\'' || header[end] == '"')) {
      end = header.find(header[at], at + 1);
      if (end == std::string::npos) return false;
      ++end;
    } else {
      while (end < header.size() && header[end] != ',' && header[end] != '}')
        ++end;
    }
    *value = header.substr(at, end - at);
    return true;
  }
  return false;
}

bool parse_shape(const std::string& text, std::vector<int64_t>* shape) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')')
    return false;
  size_t i = 1;
  while (i < text.size() - 1) {
    while (i < text.size() - 1 && (text[i] == ' ' || text[i] == ',')) ++i;
    if (i >= text.size() - 1) break;
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    int64_t value = 0;
    while (i < text.size() - 1 &&
           std::isdigit(static_cast<unsigned char>(text[i]))) {
      value = value * 10 + (text[i] - '0');
      if (value > (int64_t{1} << 40)) return false;
      ++i;
    }
    if (i < text.size() - 1 && text[i] == 'L') ++i;  // Python 2 longs
    shape->push_back(value);
  }
  return true;
}

}  // namespace

std::string npy_descr(TmType type) {
  for (const Dtype& d : kDtypes) {
    if (d.type == type) return d.descr;
  }
  return "";
}

Expected<NpyArray> parse_npy(std::span<const uint8_t> file) {
  if (file.size() < kMagicBytes + 4 ||
      std::memcmp(file.data(), kMagic, kMagicBytes) != 0) {
    return invalid_argument("not a .npy file (bad magic)");
  }
  const uint8_t major = file[6];
  size_t header_bytes = 0;
  size_t offset = 0;
  if (major == 1) {
    header_bytes = file[8] | (size_t{file[9]} << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (file.size() < 12) return invalid_argument(".npy header truncated");
    header_bytes = file[8] | (size_t{file[9]} << 8) | (size_t{file[10]} << 16) |
                   (size_t{file[11]} << 24);
    offset = 12;
  } else {
    return invalid_argument(".npy format version " + std::to_string(major) +
                            " is not supported");
  }
  if (header_bytes > file.size() - offset) {
    return invalid_argument(".npy header truncated");
  }
  const std::string header(reinterpret_cast<const char*>(file.data() + offset),
                           header_bytes);
  std::string descr, fortran, shape_text;
  if (!dict_value(header, "descr", &descr) ||
      !dict_value(header, "fortran_order", &fortran) ||
      !dict_value(header, "shape", &shape_text)) {
    return invalid_argument(".npy header lacks descr, fortran_order or shape");
  }
  if (descr.size() >= 2) descr = descr.substr(1, descr.size() - 2);
  NpyArray array;
  if (!type_from_descr(descr, &array.type)) {
    return invalid_argument(".npy dtype '" + descr +
                            "' is not supported (little-endian numeric only)");
  }
  if (!parse_shape(shape_text, &array.shape)) {
    return invalid_argument(".npy shape " + shape_text + " is malformed");
  }
  uint64_t elements = 1;
  for (int64_t d : array.shape) {
    elements *= static_cast<uint64_t>(d);
    if (elements > (uint64_t{1} << 40)) {
      return invalid_argument(".npy shape is too large");
    }
  }
  if (fortran.rfind("True", 0) == 0 && array.shape.size() > 1) {
    return invalid_argument(".npy array in Fortran order is not supported");
  }
  const uint64_t bytes = elements * tm_type_size(array.type);
  const size_t data_offset = offset + header_bytes;
  if (file.size() - data_offset != bytes) {
    return invalid_argument(
        ".npy data holds " + std::to_string(file.size() - data_offset) +
        " bytes, shape and dtype need " + std::to_string(bytes));
  }
  array.data.assign(file.begin() + static_cast<ptrdiff_t>(data_offset),
                    file.end());
  return array;
}

Expected<std::vector<uint8_t>> encode_npy(const NpyArray& array) {
  const std::string descr = npy_descr(array.type);
  if (descr.empty()) {
    return invalid_argument(std::string("type ") + tm_type_name(array.type) +
                            " has no .npy dtype");
  }
  std::string shape = "(";
  for (size_t i = 0; i < array.shape.size(); ++i) {
    shape += std::to_string(array.shape[i]);
    shape += (array.shape.size() == 1 || i + 1 < array.shape.size()) ? "," : "";
    if (i + 1 < array.shape.size()) shape += " ";
  }
  shape += ")";
  std::string header = "{'descr': '" + descr +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  const size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::vector<uint8_t> out(kMagic, kMagic + kMagicBytes);
  out.push_back(1);
  out.push_back(0);
  out.push_back(static_cast<uint8_t>(header.size() & 0xFF));
  out.push_back(static_cast<uint8_t>(header.size() >> 8));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), array.data.begin(), array.data.end());
  return out;
}

}  // namespace tierml::io
