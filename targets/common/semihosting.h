/* ARM semihosting: the firmware's only I/O under QEMU
 * (-semihosting-config enable=on,target=native). Files are opened relative to
 * QEMU's working directory, which the host sets to the run's own folder. */
#ifndef TIERML_TARGETS_SEMIHOSTING_H_
#define TIERML_TARGETS_SEMIHOSTING_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes a NUL-terminated string to QEMU's stdout. */
void sh_write0(const char* text);
/* Opens path with an fopen() mode index (0 "r", 1 "rb", 4 "w", 5 "wb");
 * returns a handle, or -1. */
int sh_open(const char* path, int mode);
int sh_close(int handle);
/* Length of the open file in bytes, or -1. */
long sh_flen(int handle);
/* Both return the number of bytes NOT transferred (0 = all), as the
 * semihosting specification defines. */
size_t sh_read(int handle, void* buffer, size_t bytes);
size_t sh_write(int handle, const void* buffer, size_t bytes);
/* Ends the emulation; status becomes QEMU's exit code (SYS_EXIT_EXTENDED). */
__attribute__((noreturn)) void sh_exit(int status);

#define SH_MODE_RB 1
#define SH_MODE_WB 5

#ifdef __cplusplus
}
#endif

#endif /* TIERML_TARGETS_SEMIHOSTING_H_ */
