#!/usr/bin/env bash
# Builds tests/device/kernel_selftest.cc with the int8 kernels for one
# emulated board and runs it under QEMU: the firmware's exit status (through
# semihosting's SYS_EXIT_EXTENDED) is QEMU's, so 0 means every randomized case
# matched the plain reference loops. The compile flags, linker scripts and
# QEMU options are the profiler's (src/target/board.cc, firmware_builder.cc,
# profile_run.cc); the kernels get the board's fast paths (Armv7E-M DSP on the
# M4, Helium on the M55), which host tests never run.
# Skips (77) without qemu-system-arm or the Arm toolchain.
# Usage: kernel_selftest.sh cortex-m4|cortex-m55 [SOURCE_DIR]
#   KERNEL_SELFTEST_SEED=N (a nonzero 32-bit number) draws other cases than
#   the fixed seed CTest uses.
set -euo pipefail

usage() { echo "usage: $0 cortex-m4|cortex-m55 [SOURCE_DIR]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
core=$1
src=${2:-$(cd "$(dirname "$0")/../.." && pwd)}

case "$core" in
  cortex-m4)
    machine=mps2-an386
    cpu_flags=(-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard) ;;
  cortex-m55)
    machine=mps3-an547
    cpu_flags=(-mcpu=cortex-m55 -mfloat-abi=hard) ;;
  *) usage ;;
esac

for tool in qemu-system-arm arm-none-eabi-gcc arm-none-eabi-g++; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

common_flags=("${cpu_flags[@]}" -mthumb -O2 -ffunction-sections
  -fdata-sections -Wall -Wextra -Wno-unused-parameter
  -I"$src/targets/common" -I"$src/runtime/include" -I"$src/runtime")
cxx_flags=(-std=c++17 -fno-exceptions -fno-rtti -fno-threadsafe-statics)

# Only the kernels under test and what they call.
kernels=(conv conv_quant depthwise_conv fully_connected add broadcast
  quantization tensor)
objects=()
for k in "${kernels[@]}"; do
  arm-none-eabi-g++ "${common_flags[@]}" "${cxx_flags[@]}" \
    -c "$src/runtime/kernels/$k.cc" -o "$work/$k.o"
  objects+=("$work/$k.o")
done
seed_flags=()
if [[ -n ${KERNEL_SELFTEST_SEED:-} ]]; then
  seed_flags=(-DTM_SELFTEST_SEED="${KERNEL_SELFTEST_SEED}u")
fi
arm-none-eabi-g++ "${common_flags[@]}" "${cxx_flags[@]}" -Werror \
  "${seed_flags[@]}" -c "$src/tests/device/kernel_selftest.cc" -o "$work/kernel_selftest.o"
for c in startup semihosting; do
  arm-none-eabi-gcc "${common_flags[@]}" -std=c99 \
    -c "$src/targets/common/$c.c" -o "$work/$c.o"
  objects+=("$work/$c.o")
done
# The staged conv window lives on the stack (4 bytes per tap, up to 1152).
arm-none-eabi-gcc "${cpu_flags[@]}" -mthumb -nostartfiles --specs=nano.specs \
  -Wl,--gc-sections -Wl,--defsym=TM_STACK_BYTES=32768 \
  -L"$src/targets/common" -T"$src/targets/$machine/memory.ld" \
  "$work/kernel_selftest.o" "${objects[@]}" -lm -o "$work/fw.elf"

echo "running the kernel self-test on $core ($machine)"
status=0
start=$SECONDS
(cd "$work" && timeout 240 qemu-system-arm -M "$machine" -nographic \
  -monitor none -serial none -icount shift=7,sleep=off \
  -semihosting-config enable=on,target=native -kernel fw.elf) || status=$?
if [[ $status -ne 0 ]]; then
  case $status in
    1) why="a kernel's output differs from the reference (see FAIL above)" ;;
    120) why="the firmware took a hard fault" ;;
    124) why="QEMU did not finish within 240 s" ;;
    *) why="status $status" ;;
  esac
  echo "FAIL: kernel self-test on $core: $why"
  exit 1
fi
echo "PASS: kernel self-test on $core, $((SECONDS - start)) s under QEMU"
