#!/bin/sh
# Instructions per invoke of the MLPerf Tiny int8 models (and TFLM's micro
# speech example) on the host, measured the way
# TIERML_SHARED_DIR/baselines/tflm_host_x86.json measured TensorFlow Lite
# Micro: valgrind callgrind on a driver that loads the model and invokes it
# once, then three times; (I(3) - I(1)) / 2 is the cost of one invoke, with
# loading and start-up cancelled out. Input in_0.bin, as in the baseline.
#
#   bench/instructions.sh [BUILD_DIR] [MODEL...]
#
# BUILD_DIR defaults to ./build and must hold bench/invoke_driver (a Release
# build: ninja -C BUILD_DIR invoke_driver). Set TIERML_SHARED_DIR to read the
# golden models and baselines from elsewhere than ../shared; set
# KEEP_CALLGRIND=DIR to keep the 3-invoke profiles for callgrind_annotate.
# A benchmark, not a test: the figures depend on the compiler and its flags.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
[ $# -gt 0 ] && shift
shared=${TIERML_SHARED_DIR:-$here/../../shared}
driver=$build/bench/invoke_driver
if [ ! -x "$driver" ]; then
  echo "no $driver: build it first (ninja -C $build invoke_driver)" >&2
  exit 2
fi
if ! command -v valgrind >/dev/null 2>&1; then
  echo "valgrind is not installed (scripts/install-deps.sh)" >&2
  exit 2
fi
if [ $# -eq 0 ]; then
  set -- tiny_kws_ref_model tiny_vww_96_int8 tiny_pretrainedResnet_quant \
    tiny_ad01_int8 tflm_micro_speech_quantized
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Instructions callgrind collected over a whole run of the driver.
collected() {
  valgrind --tool=callgrind --callgrind-out-file="$work/out.$3" \
    --log-file="$work/log" "$driver" "$1" "$2" "$3" ||
    { cat "$work/log" >&2; return 1; }
  sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$work/log"
}

results=$work/results
: >"$results"
for model in "$@"; do
  dir=$shared/golden/$model
  if [ ! -f "$dir/model.tflite" ]; then
    echo "$model: skipped: no $dir/model.tflite" >&2
    continue
  fi
  one=$(collected "$dir/model.tflite" "$dir/in_0.bin" 1)
  three=$(collected "$dir/model.tflite" "$dir/in_0.bin" 3)
  if [ -n "${KEEP_CALLGRIND:-}" ]; then
    mkdir -p "$KEEP_CALLGRIND"
    cp "$work/out.3" "$KEEP_CALLGRIND/callgrind.$model.3"
  fi
  echo "$model $(((three - one) / 2))" >>"$results"
done

/usr/bin/python3 - "$results" "$shared/baselines/tflm_host_x86.json" <<'EOF'
import json, sys

rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
try:
    models = json.load(open(sys.argv[2]))["models"]
except (OSError, ValueError, KeyError):
    print(f"no baseline at {sys.argv[2]}; ratios omitted")
    models = {}

def figure(model, variant):
    entry = models.get(model, {}).get(variant, {})
    return entry.get("x86_instructions_per_invoke_callgrind")

def ratio(ours, theirs):
    return f"{theirs / ours:7.2f}x" if theirs and ours > 0 else "       -"

def count(value):
    return f"{value / 1e6:9.2f}M" if value else "         -"

print(f"{'model':<28} {'tierml':>10} {'tflm_ref':>10} {'ref/ours':>8}"
      f" {'tflm_cmsis':>10} {'cmsis/ours':>10}")
for model, ours in rows:
    ours = int(ours)
    ref = figure(model, "tflm_reference_kernels")
    cmsis = figure(model, "tflm_cmsis_nn_kernels_portable_c")
    print(f"{model:<28} {count(ours)} {count(ref)} {ratio(ours, ref)}"
          f" {count(cmsis)} {ratio(ours, cmsis):>10}")
print("instructions per invoke, callgrind, (I(3 invokes) - I(1 invoke)) / 2;"
      " ratios above 1: tierml executes fewer instructions than TFLM")
EOF
