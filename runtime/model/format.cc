#include "model/format.h"

#include <stdint.h>

namespace {

// Appends characters while there is room, always leaving space for the NUL.
struct Sink {
  char* out;
  size_t size;
  size_t length = 0;

  void put(char c) {
    if (length + 1 < size) out[length++] = c;
  }
  void put_string(const char* s) {
    if (s == nullptr) s = "(null)";
    while (*s != '\0') put(*s++);
  }
  void put_unsigned(uint64_t value) {
    char digits[20];
    int count = 0;
    do {
      digits[count++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value != 0);
    while (count > 0) put(digits[--count]);
  }
  void put_signed(int64_t value) {
    if (value < 0) {
      put('-');
      // Negate in unsigned arithmetic so INT64_MIN does not overflow.
      put_unsigned(0 - static_cast<uint64_t>(value));
    } else {
      put_unsigned(static_cast<uint64_t>(value));
    }
  }
};

}  // namespace

extern "C" {

size_t tm_format(char* out, size_t size, const char* format, va_list args) {
  Sink sink{out, size};
  for (const char* p = format; *p != '\0'; ++p) {
    if (*p != '%') {
      sink.put(*p);
      continue;
    }
    const char spec = p[1];
    if (spec == 'd') {
      sink.put_signed(va_arg(args, int));
    } else if (spec == 'u') {
      sink.put_unsigned(va_arg(args, unsigned));
    } else if (spec == 's') {
      sink.put_string(va_arg(args, const char*));
    } else if (spec == 'z' && p[2] == 'u') {
      sink.put_unsigned(va_arg(args, size_t));
      ++p;
    } else if (spec == '%') {
      sink.put('%');
    } else {
      sink.put('%');
      continue;
    }
    ++p;
  }
  if (size > 0) out[sink.length] = '\0';
  return sink.length;
}

size_t tm_format_to(char* out, size_t size, const char* format, ...) {
  va_list args;
  va_start(args, format);
  const size_t length = tm_format(out, size, format, args);
  va_end(args);
  return length;
}

}  // extern "C"
