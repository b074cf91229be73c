/* A tiny printf subset for device code, where snprintf may be missing or
 * too large. Understands %d (int), %u (unsigned), %zu (size_t), %s and %%;
 * anything else is copied as is. */
#ifndef TIERML_MODEL_FORMAT_H_
#define TIERML_MODEL_FORMAT_H_

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes at most size bytes including the terminating NUL (nothing when size
 * is 0; out may then be NULL) and returns the number of characters written,
 * without the NUL. Output that does not fit is cut off. */
size_t tm_format(char* out, size_t size, const char* format, va_list args);

/* The same with the arguments inline. */
size_t tm_format_to(char* out, size_t size, const char* format, ...);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_MODEL_FORMAT_H_ */
