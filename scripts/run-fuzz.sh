#!/bin/sh
# Builds the libFuzzer targets with clang in build-fuzz and fuzzes the model
# reader and the interpreter for a bounded time, seeded from ../shared/golden when present.
# Exits non-zero if the fuzzer finds a crash.
# Usage: scripts/run-fuzz.sh [SECONDS]   (default 60; TIERML_FUZZ_BUILD_DIR
# overrides the build folder)
set -eu
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TIERML_FUZZ_BUILD_DIR:-"$root/build-fuzz"}

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja \
  -DTIERML_FUZZ=ON -DTIERML_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" --target model_view_fuzz interpreter_fuzz -j2

# The time is split between the reader and the whole interpreter.
for target in model_view interpreter; do
  "$root/tests/fuzz/run_fuzzer.sh" "$build/tests/fuzz/${target}_fuzz" \
    "$build/tests/fuzz/corpus/$target" "$(( (seconds + 1) / 2 ))" \
    "$root/../shared/golden"
done
