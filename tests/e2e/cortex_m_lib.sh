# Shared by the e2e tests that run firmware under QEMU: skips (exit 77)
# without QEMU or the Arm toolchain, then gives a temporary folder `work`
# (removed on exit), fail() and py.
# Usage: source cortex_m_lib.sh
for tool in qemu-system-arm arm-none-eabi-gcc arm-none-eabi-g++ arm-none-eabi-size; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
py=/usr/bin/python3
