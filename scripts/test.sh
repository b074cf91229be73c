#!/usr/bin/env bash
# Builds and runs every test: the release build with all CTest labels, the
# embedded-clean check of runtime/, the unit, golden and hostile-input e2e
# tests again under ASan+UBSan, and bounded fuzzing runs of the model reader
# and the interpreter.
# Usage: scripts/test.sh [--quick]   (--quick: release build and tests only)
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
quick=0
[ "${1:-}" = "--quick" ] && quick=1

step() { printf '\n== %s\n' "$*"; }

step "release build"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build -j"$jobs"

step "tests (unit, golden, e2e, device)"
ctest --test-dir build -j"$jobs" --output-on-failure -LE fuzz

[ "$quick" -eq 1 ] && exit 0

step "runtime/ builds embedded-clean for Cortex-M4 and M55"
scripts/check-embedded.sh

step "unit and golden tests under ASan+UBSan"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTIERML_SANITIZE=ON \
  -DTIERML_BENCH=OFF >/dev/null
ninja -C build-asan -j"$jobs" tierml_unit_tests tierml_golden_tests tierml \
  serve_test_models hybrid_test_tool
ctest --test-dir build-asan -j"$jobs" --output-on-failure -L 'unit|golden'

step "the hostile-input e2e tests under ASan+UBSan"
# Malformed HTTP bodies, CLI inputs, WAV files and MQTT payloads against the
# sanitized binary (the other e2e tests time real work, too slow at -O0).
ctest --test-dir build-asan -j"$jobs" --output-on-failure \
  -R '^e2e_(serve_api|run_cli|features_cli|hybrid_pipeline)$'

if [ -x scripts/run-fuzz.sh ]; then
  step "fuzzing the model reader and the interpreter (bounded)"
  scripts/run-fuzz.sh "${TIERML_FUZZ_SECONDS:-60}"
fi
