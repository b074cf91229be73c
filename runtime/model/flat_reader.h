// Bounds-checked reading of a flatbuffer, without the flatbuffers library.
//
// Every read checks what it touches: table and vtable bounds, field offsets
// inside the table object, forward offsets that stay inside the buffer,
// vector lengths against the bytes left (computed without overflow), string
// terminators and alignment. The first problem is recorded as
// "<where>: <what>" in the caller's ErrorBuffer and the read fails, so a
// hostile file can never make the reader touch memory outside the buffer.
// Nothing recurses and nothing allocates.
#ifndef TIERML_MODEL_FLAT_READER_H_
#define TIERML_MODEL_FLAT_READER_H_

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model/model_view.h"
#include "tierml/status.h"

namespace tierml {

// Little-endian loads; the format and every supported target are
// little-endian. memcpy keeps unaligned positions well defined.
inline uint16_t load_u16(const uint8_t* p) {
  uint16_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}
inline uint32_t load_u32(const uint8_t* p) {
  uint32_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}
inline int32_t load_i32(const uint8_t* p) {
  int32_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}
inline int64_t load_i64(const uint8_t* p) {
  int64_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}
inline uint64_t load_u64(const uint8_t* p) {
  uint64_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}
inline float load_f32(const uint8_t* p) {
  float v;
  memcpy(&v, p, sizeof(v));
  return v;
}

// A verified table. pos 0 means absent: offset 0 holds the root offset, so no
// table can start there.
struct FlatTable {
  uint32_t pos = 0;
  uint32_t vtable = 0;
  uint32_t vtable_size = 0;
  uint32_t object_size = 0;
  bool present() const { return pos != 0; }
};

// A verified vector (or string): data is the first element, length the
// element count. data 0 and length 0 when absent.
struct FlatVector {
  uint32_t data = 0;
  uint32_t length = 0;
};

class FlatReader {
 public:
  // error.text may be nullptr: failures are then only counted.
  FlatReader(const uint8_t* blob, size_t size, ErrorBuffer error);

  const uint8_t* blob() const { return blob_; }
  // Bytes the flatbuffer itself may occupy (offsets are 31-bit).
  uint32_t limit() const { return limit_; }
  size_t size() const { return size_; }
  TmStatus status() const { return status_; }

  // Context that prefixes messages, e.g. "subgraph 0 tensor 12".
  void set_where(const char* format, ...);
  // Records "<where>: <what>" unless a problem of the same or a more severe
  // kind (malformed > anything else) was recorded already; returns status.
  TmStatus fail(TmStatus status, const char* format, ...);

  // The root table (the uoffset at position 0).
  bool root(FlatTable* out);
  // The table field `id` of t (sub-table or union value); absent is fine.
  bool table_field(const FlatTable& t, int id, const char* name,
                   FlatTable* out);
  // Vector field of elements of elem_size bytes, aligned to
  // min(elem_size, 8) as flatbuffers lays them out.
  bool vector_field(const FlatTable& t, int id, uint32_t elem_size,
                    const char* name, FlatVector* out);
  // String field: a byte vector followed by a NUL.
  bool string_field(const FlatTable& t, int id, const char* name,
                    FlatVector* out);
  // Element `index` of a vector of tables (index < v.length).
  bool table_element(const FlatVector& v, uint32_t index, const char* name,
                     FlatTable* out);

  // Scalar fields; absent fields give the schema default.
  bool u8_field(const FlatTable& t, int id, uint8_t fallback, const char* name,
                uint8_t* out);
  bool i8_field(const FlatTable& t, int id, int8_t fallback, const char* name,
                int8_t* out);
  bool i32_field(const FlatTable& t, int id, int32_t fallback, const char* name,
                 int32_t* out);
  bool u32_field(const FlatTable& t, int id, uint32_t fallback,
                 const char* name, uint32_t* out);
  bool u64_field(const FlatTable& t, int id, uint64_t fallback,
                 const char* name, uint64_t* out);
  bool f32_field(const FlatTable& t, int id, float fallback, const char* name,
                 float* out);
  bool bool_field(const FlatTable& t, int id, bool fallback, const char* name,
                  bool* out);

  // Elements of verified vectors.
  int32_t i32_at(const FlatVector& v, uint32_t index) const {
    return load_i32(blob_ + v.data + 4 * index);
  }
  float f32_at(const FlatVector& v, uint32_t index) const {
    return load_f32(blob_ + v.data + 4 * index);
  }
  int64_t i64_at(const FlatVector& v, uint32_t index) const {
    return load_i64(blob_ + v.data + 8 * index);
  }

 private:
  bool table_at(uint32_t pos, const char* name, FlatTable* out);
  // Position of field id inside t's object, 0 if absent; fails if the field's
  // width bytes leave the object or break alignment.
  bool scalar_slot(const FlatTable& t, int id, uint32_t width, const char* name,
                   uint32_t* pos);
  // Follows the uoffset stored at pos.
  bool follow(uint32_t pos, const char* name, uint32_t* target);
  bool vector_at(uint32_t pos, uint32_t elem_size, const char* name,
                 FlatVector* out);

  const uint8_t* blob_;
  size_t size_;
  uint32_t limit_;
  ErrorBuffer error_;
  TmStatus status_ = kTmOk;
  char where_[96] = {};
};

}  // namespace tierml

#endif  // TIERML_MODEL_FLAT_READER_H_
