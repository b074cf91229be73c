#!/usr/bin/env bash
# Proves runtime/ stays device code: every source compiles with
# arm-none-eabi-g++ for Cortex-M4 and M55 without exceptions or RTTI, and no
# object pulls in the heap, exceptions or the C++ library.
set -euo pipefail
cd "$(dirname "$0")/.."

cxx=arm-none-eabi-g++
command -v "$cxx" >/dev/null || { echo "check-embedded: $cxx not found; run scripts/install-deps.sh" >&2; exit 2; }
flags=(-mthumb -mfloat-abi=hard -Os -std=c++17
       -fno-exceptions -fno-rtti -fno-threadsafe-statics -Wall -Wextra -Werror
       -Wno-unused-parameter -Iruntime/include -Iruntime)
# The M4 (Armv7E-M DSP) and the M55, whose Helium paths only it compiles.
cores=("-mcpu=cortex-m4 -mfpu=fpv4-sp-d16" "-mcpu=cortex-m55")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

failed=0
mapfile -t sources < <(find runtime -name '*.cc' | sort)
for core in "${cores[@]}"; do
  for src in "${sources[@]}"; do
    obj="$out/${core%% *}_$(echo "$src" | tr / _).o"
    # shellcheck disable=SC2086  # core is two flags
    if ! "$cxx" $core "${flags[@]}" -c "$src" -o "$obj"; then
      echo "check-embedded: $src does not build with $core" >&2
      failed=1
    fi
  done
done

# Symbols that mean heap, exceptions, RTTI or libstdc++ crept in.
forbidden='^(malloc|calloc|realloc|free|_Znw|_Zna|_Zdl|_Zda|__cxa_|__gxx_personality|_ZTI|_ZTS|_ZNSt|_ZSt)'
for obj in "$out"/*.o; do
  [ -e "$obj" ] || continue
  bad=$(arm-none-eabi-nm -u "$obj" | awk '{print $2}' | grep -E "$forbidden" || true)
  if [ -n "$bad" ]; then
    echo "check-embedded: $(basename "$obj") references: $bad" >&2
    failed=1
  fi
done

# std:: containers and C++ library headers have no place in device code.
if grep -rnE --include='*.h' --include='*.cc' '\bstd::|#include <(vector|string|map|memory|algorithm|functional|iostream|array|new)>' runtime; then
  echo "check-embedded: C++ library use in runtime/ (above)" >&2
  failed=1
fi

[ "$failed" -eq 0 ] && echo "check-embedded: ${#sources[@]} sources OK for Cortex-M4 and M55 (no heap, exceptions, RTTI or libstdc++)"
exit "$failed"
