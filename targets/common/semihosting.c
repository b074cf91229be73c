/* Semihosting calls: operation number in r0, parameter block address in r1,
 * result in r0, trapped by QEMU at BKPT 0xAB (M profile). */
#include "semihosting.h"

#include <string.h>

enum {
  kShOpen = 0x01,
  kShClose = 0x02,
  kShWrite0 = 0x04,
  kShWrite = 0x05,
  kShRead = 0x06,
  kShFlen = 0x0C,
  kShExit = 0x18,
  kShExitExtended = 0x20,
};

static intptr_t sh_call(int op, const void* block) {
  register intptr_t r0 __asm__("r0") = op;
  register const void* r1 __asm__("r1") = block;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

void sh_write0(const char* text) { sh_call(kShWrite0, text); }

int sh_open(const char* path, int mode) {
  const intptr_t block[3] = {(intptr_t)path, mode, (intptr_t)strlen(path)};
  return (int)sh_call(kShOpen, block);
}

int sh_close(int handle) {
  const intptr_t block[1] = {handle};
  return (int)sh_call(kShClose, block);
}

long sh_flen(int handle) {
  const intptr_t block[1] = {handle};
  return (long)sh_call(kShFlen, block);
}

size_t sh_read(int handle, void* buffer, size_t bytes) {
  const intptr_t block[3] = {handle, (intptr_t)buffer, (intptr_t)bytes};
  return (size_t)sh_call(kShRead, block);
}

size_t sh_write(int handle, const void* buffer, size_t bytes) {
  const intptr_t block[3] = {handle, (intptr_t)buffer, (intptr_t)bytes};
  return (size_t)sh_call(kShWrite, block);
}

void sh_exit(int status) {
  /* ADP_Stopped_ApplicationExit with the status as subcode. */
  const intptr_t block[2] = {0x20026, status};
  sh_call(kShExitExtended, block);
  for (;;) {
  }
}
