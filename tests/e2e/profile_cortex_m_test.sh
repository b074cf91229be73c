#!/usr/bin/env bash
# tierml profile on the emulated Cortex-M4 (QEMU mps2-an386), with both
# engines: the demo model and MLPerf Tiny's anomaly-detection model give the
# host's output bytes (and TFLM's golden bytes), two runs of the compiled
# engine (the default) give identical instruction counts, and the flash/RAM
# breakdowns add up. Skips without QEMU or the Arm toolchain.
set -euo pipefail
tierml=$1
make_model=$2
golden=$3/golden
source "$(dirname "$0")/cortex_m_lib.sh"

# Checks one --json report: output identical to the host, figures consistent,
# made by the engine named second.
check_report() {
  "$py" - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["engine"] == sys.argv[2], r["engine"]
assert r["output_matches_host"] is True, "device output differs from host"
assert r["mismatched_bytes"] == 0
n = r["instructions_per_inference"]
assert n > 0 and n == r["instructions"]["inference"]
f = r["flash"]
assert r["flash_bytes"] == f["code"] + f["constants"] + f["model"] + f["data_init"] == f["total"]
assert f["model"] > 0 and f["code"] > 0
assert 0 < f["runtime_code"] < f["code"]
by_origin = f["code_and_constants_by_origin"]
engine_code = "generated model" if r["engine"] == "compiled" else "interpreter"
assert by_origin[engine_code] > 0 and by_origin["kernels"] > 0, by_origin
# Only the compiled engine has a per-layer copy of its code.
assert (f["per_layer_timing_excluded"] > 0) == (r["engine"] == "compiled")
m = r["ram"]
assert r["ram_bytes"] == m["arena"] + m["static_data"] + m["stack"] == m["total"]
assert 0 < m["stack"] < m["stack_reserved"]
layers = r["instructions"]["per_layer"]
assert all(l["instructions"] > 0 for l in layers), "a layer measured no instructions"
assert sorted(l["index"] for l in layers) == list(range(len(layers)))
total = sum(l["instructions"] for l in layers)
assert total == r["instructions"]["layers_total"]
assert total <= n, "layers add up to more than the inference"
assert r["macs"] == sum(l["macs"] for l in layers)
PY
}

# Same figures from two runs (the per-layer ones too).
same_counts() {
  "$py" - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["instructions_per_inference"] == b["instructions_per_inference"], (a["instructions_per_inference"], b["instructions_per_inference"])
assert [l["instructions"] for l in a["instructions"]["per_layer"]] == [l["instructions"] for l in b["instructions"]["per_layer"]]
assert a["flash_bytes"] == b["flash_bytes"] and a["ram_bytes"] == b["ram_bytes"]
PY
}

# The demo model, written by tierml's own writer, with the default input:
# twice with the default (compiled) engine, once with the interpreter.
"$make_model" "$work/orientation.tflite" > /dev/null
for run in 1 2; do
  "$tierml" profile "$work/orientation.tflite" --target cortex-m4 --json \
    --output "$work/demo$run.bin" > "$work/demo$run.json" || fail "demo profile run $run"
  check_report "$work/demo$run.json" compiled || fail "demo report $run"
done
same_counts "$work/demo1.json" "$work/demo2.json" || fail "demo runs differ"
"$tierml" profile "$work/orientation.tflite" --target cortex-m4 --engine interpreter \
  --json --output "$work/demo_interpreter.bin" > "$work/demo_interpreter.json" ||
  fail "demo profile, interpreter"
check_report "$work/demo_interpreter.json" interpreter || fail "demo interpreter report"
cmp -s "$work/demo1.bin" "$work/demo_interpreter.bin" || fail "the engines' outputs differ"

# MLPerf Tiny anomaly detection: the device's bytes are TFLM's golden bytes.
ad=$golden/tiny_ad01_int8
if [ -d "$ad" ]; then
  run=0
  for engine in compiled compiled interpreter; do
    run=$((run + 1))
    "$tierml" profile "$ad/model.tflite" --target cortex-m4 --engine $engine \
      --input "$ad/in_1.bin" --output "$work/ad$run.bin" --json > "$work/ad$run.json" ||
      fail "ad01 run $run ($engine)"
    check_report "$work/ad$run.json" $engine || fail "ad01 report $run"
    cmp -s "$work/ad$run.bin" "$ad/out_1.bin" || fail "ad01 output ($engine) is not TFLM's"
  done
  same_counts "$work/ad1.json" "$work/ad2.json" || fail "ad01 runs differ"
else
  echo "note: no golden data at $golden; ad01 not profiled"
fi

# The text report names the figures.
"$tierml" profile "$work/orientation.tflite" --target cortex-m4 > "$work/text.txt"
grep -q "identical to the host run" "$work/text.txt" || fail "text report"
grep -q "instructions per inference" "$work/text.txt" || fail "text report"

# Bad usage exits 2, an unusable model 3.
expect_exit() {
  local want=$1; shift
  set +e; "$@" > /dev/null 2> "$work/stderr"; local got=$?; set -e
  [ "$got" = "$want" ] || fail "$* exited $got, expected $want: $(cat "$work/stderr")"
}
expect_exit 2 "$tierml" profile "$work/orientation.tflite" --target cortex-m0
expect_exit 2 "$tierml" profile "$work/orientation.tflite" --target cortex-m4 --opt O3
expect_exit 2 "$tierml" profile "$work/orientation.tflite" --target cortex-m4 --engine jit
expect_exit 2 "$tierml" profile "$work/missing.tflite" --target cortex-m4
head -c 1 "$work/orientation.tflite" > "$work/short.bin"
expect_exit 2 "$tierml" profile "$work/orientation.tflite" --target cortex-m4 --input "$work/short.bin"
printf 'not a model' > "$work/bad.tflite"
expect_exit 3 "$tierml" profile "$work/bad.tflite" --target cortex-m4
echo "PASS"
