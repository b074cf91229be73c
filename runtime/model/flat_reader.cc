#include "model/flat_reader.h"

#include <stdarg.h>

#include "model/format.h"

namespace tierml {
namespace {

// Flatbuffers keep every offset below 2^31.
constexpr uint32_t kMaxFlatBytes = 0x7fffffffu;
// Vtable slots checked eagerly when a table is first reached; no table this
// reader uses has more fields. Later slots are checked when read.
constexpr uint32_t kEagerSlots = 16;

}  // namespace

FlatReader::FlatReader(const uint8_t* blob, size_t size, ErrorBuffer error)
    : blob_(blob),
      size_(size),
      limit_(size > kMaxFlatBytes ? kMaxFlatBytes
                                  : static_cast<uint32_t>(size)),
      error_(error) {
  if (error_.text != nullptr && error_.size > 0) error_.text[0] = '\0';
}

void FlatReader::set_where(const char* format, ...) {
  if (error_.text == nullptr || status_ == kTmErrorMalformedModel) return;
  va_list args;
  va_start(args, format);
  tm_format(where_, sizeof(where_), format, args);
  va_end(args);
}

TmStatus FlatReader::fail(TmStatus status, const char* format, ...) {
  // A malformed file outranks an unsupported one: the first problem of the
  // most severe kind is the one reported.
  const bool replaces = status_ == kTmOk || (status == kTmErrorMalformedModel &&
                                             status_ != kTmErrorMalformedModel);
  if (!replaces) return status;
  status_ = status;
  if (error_.text == nullptr || error_.size == 0) return status;
  size_t used = tm_format_to(error_.text, error_.size,
                             "%s: ", where_[0] != '\0' ? where_ : "model");
  va_list args;
  va_start(args, format);
  tm_format(error_.text + used, error_.size - used, format, args);
  va_end(args);
  return status;
}

bool FlatReader::root(FlatTable* out) {
  *out = FlatTable();
  if (limit_ < 8) {
    fail(kTmErrorMalformedModel,
         "file is %zu bytes, too small to hold a flatbuffer", size_);
    return false;
  }
  uint32_t target = 0;
  return follow(0, "root table", &target) &&
         table_at(target, "root table", out);
}

bool FlatReader::follow(uint32_t pos, const char* name, uint32_t* target) {
  if (pos % 4 != 0) {
    fail(kTmErrorMalformedModel, "%s: offset field at %u is not 4-byte aligned",
         name, pos);
    return false;
  }
  if (pos > limit_ - 4 || limit_ < 4) {
    fail(kTmErrorMalformedModel,
         "%s: offset field at %u lies outside the file (%u bytes)", name, pos,
         limit_);
    return false;
  }
  const uint32_t offset = load_u32(blob_ + pos);
  // Offsets point forward, so no chain of them can loop.
  if (offset == 0 || offset > limit_ - pos) {
    fail(kTmErrorMalformedModel,
         "%s: offset %u at %u points outside the file (%u bytes)", name, offset,
         pos, limit_);
    return false;
  }
  *target = pos + offset;
  return true;
}

bool FlatReader::table_at(uint32_t pos, const char* name, FlatTable* out) {
  *out = FlatTable();
  if (pos % 4 != 0) {
    fail(kTmErrorMalformedModel, "%s: table at offset %u is not 4-byte aligned",
         name, pos);
    return false;
  }
  if (limit_ < 4 || pos > limit_ - 4) {
    fail(kTmErrorMalformedModel,
         "%s: table at offset %u lies outside the file (%u bytes)", name, pos,
         limit_);
    return false;
  }
  const int64_t vtable =
      static_cast<int64_t>(pos) - static_cast<int64_t>(load_i32(blob_ + pos));
  if (vtable < 0 || vtable > static_cast<int64_t>(limit_) - 4) {
    fail(kTmErrorMalformedModel,
         "%s: vtable of the table at offset %u lies outside the file", name,
         pos);
    return false;
  }
  const uint32_t vt = static_cast<uint32_t>(vtable);
  if (vt % 2 != 0) {
    fail(kTmErrorMalformedModel,
         "%s: vtable at offset %u is not 2-byte aligned", name, vt);
    return false;
  }
  const uint32_t vtable_size = load_u16(blob_ + vt);
  const uint32_t object_size = load_u16(blob_ + vt + 2);
  if (vtable_size < 4 || vtable_size % 2 != 0 || vtable_size > limit_ - vt) {
    fail(kTmErrorMalformedModel, "%s: vtable at offset %u has invalid size %u",
         name, vt, vtable_size);
    return false;
  }
  if (object_size < 4 || object_size > limit_ - pos) {
    fail(kTmErrorMalformedModel,
         "%s: table at offset %u claims %u bytes, past the end of the file",
         name, pos, object_size);
    return false;
  }
  const uint32_t slots = (vtable_size - 4) / 2;
  for (uint32_t i = 0; i < slots && i < kEagerSlots; ++i) {
    const uint32_t field = load_u16(blob_ + vt + 4 + 2 * i);
    if (field != 0 && (field < 4 || field >= object_size)) {
      fail(kTmErrorMalformedModel,
           "%s: vtable at offset %u puts field %u at %u, outside the %u-byte "
           "table",
           name, vt, i, field, object_size);
      return false;
    }
  }
  out->pos = pos;
  out->vtable = vt;
  out->vtable_size = vtable_size;
  out->object_size = object_size;
  return true;
}

bool FlatReader::scalar_slot(const FlatTable& t, int id, uint32_t width,
                             const char* name, uint32_t* pos) {
  *pos = 0;
  if (!t.present()) return true;
  const uint32_t slot = 4 + 2 * static_cast<uint32_t>(id);
  if (slot + 2 > t.vtable_size) return true;
  const uint32_t field = load_u16(blob_ + t.vtable + slot);
  if (field == 0) return true;
  if (field < 4 || width > t.object_size || field > t.object_size - width) {
    fail(kTmErrorMalformedModel,
         "field %s at %u+%u (%u bytes) leaves its %u-byte table", name, t.pos,
         field, width, t.object_size);
    return false;
  }
  const uint32_t at = t.pos + field;
  if (at % width != 0) {
    fail(kTmErrorMalformedModel, "field %s at offset %u is not %u-byte aligned",
         name, at, width);
    return false;
  }
  *pos = at;
  return true;
}

bool FlatReader::table_field(const FlatTable& t, int id, const char* name,
                             FlatTable* out) {
  *out = FlatTable();
  uint32_t pos = 0;
  if (!scalar_slot(t, id, 4, name, &pos)) return false;
  if (pos == 0) return true;
  uint32_t target = 0;
  return follow(pos, name, &target) && table_at(target, name, out);
}

bool FlatReader::vector_at(uint32_t pos, uint32_t elem_size, const char* name,
                           FlatVector* out) {
  *out = FlatVector();
  if (pos % 4 != 0 || limit_ < 4 || pos > limit_ - 4) {
    fail(kTmErrorMalformedModel,
         "%s: vector at offset %u is misaligned or outside the file", name,
         pos);
    return false;
  }
  const uint32_t length = load_u32(blob_ + pos);
  const uint32_t data = pos + 4;
  const uint32_t align = elem_size < 8 ? elem_size : 8;
  if (data % align != 0) {
    fail(kTmErrorMalformedModel,
         "%s: vector data at offset %u is not %u-byte aligned", name, data,
         align);
    return false;
  }
  // Division instead of length * elem_size, which could wrap.
  if (length > (limit_ - data) / elem_size) {
    fail(kTmErrorMalformedModel,
         "%s: vector of %u elements of %u bytes at offset %u runs past the end "
         "of the file (%u bytes)",
         name, length, elem_size, pos, limit_);
    return false;
  }
  out->data = data;
  out->length = length;
  return true;
}

bool FlatReader::vector_field(const FlatTable& t, int id, uint32_t elem_size,
                              const char* name, FlatVector* out) {
  *out = FlatVector();
  uint32_t pos = 0;
  if (!scalar_slot(t, id, 4, name, &pos)) return false;
  if (pos == 0) return true;
  uint32_t target = 0;
  return follow(pos, name, &target) && vector_at(target, elem_size, name, out);
}

bool FlatReader::string_field(const FlatTable& t, int id, const char* name,
                              FlatVector* out) {
  if (!vector_field(t, id, 1, name, out)) return false;
  if (out->data == 0) return true;
  if (out->length >= limit_ - out->data ||
      blob_[out->data + out->length] != 0) {
    fail(kTmErrorMalformedModel,
         "%s: string at offset %u is not NUL-terminated inside the file", name,
         out->data - 4);
    *out = FlatVector();
    return false;
  }
  return true;
}

bool FlatReader::table_element(const FlatVector& v, uint32_t index,
                               const char* name, FlatTable* out) {
  *out = FlatTable();
  if (index >= v.length) {
    fail(kTmErrorMalformedModel, "%s: element %u of a %u-element vector", name,
         index, v.length);
    return false;
  }
  uint32_t target = 0;
  return follow(v.data + 4 * index, name, &target) &&
         table_at(target, name, out);
}

bool FlatReader::u8_field(const FlatTable& t, int id, uint8_t fallback,
                          const char* name, uint8_t* out) {
  uint32_t pos = 0;
  if (!scalar_slot(t, id, 1, name, &pos)) return false;
  *out = pos == 0 ? fallback : blob_[pos];
  return true;
}

bool FlatReader::i8_field(const FlatTable& t, int id, int8_t fallback,
                          const char* name, int8_t* out) {
  uint8_t raw = 0;
  if (!u8_field(t, id, static_cast<uint8_t>(fallback), name, &raw)) {
    return false;
  }
  *out = static_cast<int8_t>(raw);
  return true;
}

bool FlatReader::bool_field(const FlatTable& t, int id, bool fallback,
                            const char* name, bool* out) {
  uint8_t raw = 0;
  if (!u8_field(t, id, fallback ? 1 : 0, name, &raw)) return false;
  *out = raw != 0;
  return true;
}

bool FlatReader::i32_field(const FlatTable& t, int id, int32_t fallback,
                           const char* name, int32_t* out) {
  uint32_t pos = 0;
  if (!scalar_slot(t, id, 4, name, &pos)) return false;
  *out = pos == 0 ? fallback : load_i32(blob_ + pos);
  return true;
}

bool FlatReader::u32_field(const FlatTable& t, int id, uint32_t fallback,
                           const char* name, uint32_t* out) {
  uint32_t pos = 0;
  if (!scalar_slot(t, id, 4, name, &pos)) return false;
  *out = pos == 0 ? fallback : load_u32(blob_ + pos);
  return true;
}

bool FlatReader::u64_field(const FlatTable& t, int id, uint64_t fallback,
                           const char* name, uint64_t* out) {
  uint32_t pos = 0;
  if (!scalar_slot(t, id, 8, name, &pos)) return false;
  *out = pos == 0 ? fallback : load_u64(blob_ + pos);
  return true;
}

bool FlatReader::f32_field(const FlatTable& t, int id, float fallback,
                           const char* name, float* out) {
  uint32_t pos = 0;
  if (!scalar_slot(t, id, 4, name, &pos)) return false;
  *out = pos == 0 ? fallback : load_f32(blob_ + pos);
  return true;
}

}  // namespace tierml
