#!/bin/sh
# Runs a libFuzzer binary for a bounded time on a corpus seeded from the
# golden models (when ../shared is present). Exits non-zero on a crash,
# a leak, a hang or an out-of-memory.
# Usage: run_fuzzer.sh FUZZER CORPUS_DIR SECONDS [GOLDEN_DIR]   (SECONDS 0: replay only)
# Environment: TIERML_FUZZ_RUNS (see below).
set -eu
fuzzer=$1
corpus=$2
seconds=$3
golden=${4:-}

mkdir -p "$corpus" "$corpus.artifacts"
if [ -n "$golden" ] && [ -d "$golden" ]; then
  for model in "$golden"/*/model.tflite; do
    [ -f "$model" ] || continue
    seed="$corpus/seed_$(basename "$(dirname "$model")").tflite"
    [ -f "$seed" ] || cp "$model" "$seed"
  done
else
  echo "run_fuzzer: no golden models at '${golden}', starting from an empty corpus"
fi

# SECONDS 0 replays the corpus once (every seed through the target) instead
# of fuzzing. max_len covers the largest golden model (about 1.07 MB).
# TIERML_FUZZ_RUNS=N instead runs N mutations from a fixed seed: the same
# build and seeds then explore the same inputs on every machine, so a gate
# that fuzzes cannot fail at random.
if [ -n "${TIERML_FUZZ_RUNS:-}" ]; then
  set -- -seed=1 -runs="$TIERML_FUZZ_RUNS"
elif [ "$seconds" -eq 0 ]; then
  set -- -runs=0
else
  set -- -max_total_time="$seconds"
fi
exec "$fuzzer" "$corpus" \
  "$@" \
  -max_len=1200000 \
  -rss_limit_mb=2048 \
  -timeout=30 \
  -print_final_stats=1 \
  -artifact_prefix="$corpus.artifacts/"
