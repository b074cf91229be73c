#!/bin/sh
# Builds the libFuzzer targets with clang in build-fuzz and fuzzes the model
# reader and the interpreter for a bounded time each, seeded from
# ../shared/golden when present.
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

# The reader is fuzzed for SECONDS. The whole interpreter (init and invoke of
# every mutated model under ASan+UBSan) runs TIERML_FUZZ_INTERPRETER_RUNS
# mutations (default 20000, about a minute here) from a fixed seed, so this
# gate gives the same answer for the same commit on every machine; set
# TIERML_FUZZ_INTERPRETER_SECONDS to fuzz it for a time instead.
"$root/tests/fuzz/run_fuzzer.sh" "$build/tests/fuzz/model_view_fuzz" \
  "$build/tests/fuzz/corpus/model_view" "$seconds" "$root/../shared/golden"
if [ -n "${TIERML_FUZZ_INTERPRETER_SECONDS:-}" ]; then
  "$root/tests/fuzz/run_fuzzer.sh" "$build/tests/fuzz/interpreter_fuzz" \
    "$build/tests/fuzz/corpus/interpreter" "$TIERML_FUZZ_INTERPRETER_SECONDS" \
    "$root/../shared/golden"
else
  TIERML_FUZZ_RUNS=${TIERML_FUZZ_INTERPRETER_RUNS:-20000} \
    "$root/tests/fuzz/run_fuzzer.sh" "$build/tests/fuzz/interpreter_fuzz" \
    "$build/tests/fuzz/corpus/interpreter" 0 "$root/../shared/golden"
fi
