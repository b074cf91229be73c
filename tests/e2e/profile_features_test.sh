#!/usr/bin/env bash
# tierml profile --features on the emulated Cortex-M4 (QEMU mps2-an386): the
# KWS MFCC recipe's fixed-point pipeline gives the host's feature bytes (and
# those of `tierml features` on the same window), two runs give the same
# non-zero instruction counts, the flash/RAM figures add up, and bad usage
# exits 2 with a clear message. Skips without QEMU or the Arm toolchain.
set -euo pipefail
tierml=$1
source "$(dirname "$0")/cortex_m_lib.sh"
kept=""
trap 'rm -rf "$work" ${kept:+"$kept"}' EXIT

for run in 1 2; do
  "$tierml" profile --features kws --target cortex-m4 --json --keep-build \
    --output "$work/kws$run.bin" > "$work/kws$run.json" || fail "kws profile run $run"
  kept=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["build_dir"])' "$work/kws$run.json")
  cp "$kept/input.bin" "$work/window$run.raw"
  rm -rf "$kept"
done

"$py" - "$work/kws1.json" "$work/kws2.json" <<'PY' || fail "kws report"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for r in (a, b):
    assert r["features"] == "kws" and r["target"] == "cortex-m4", r
    assert r["output_matches_host"] is True and r["mismatched_bytes"] == 0
    assert r["frames"] == 49 and r["values_per_frame"] == 10
    assert r["output_bytes"] == 490
    n = r["instructions_per_window"]
    assert n > 0 and n == r["instructions"]["window"]
    i = r["instructions"]
    assert 0 < i["peak_gain"] < n
    stages = i["per_stage_per_frame"]
    assert set(stages) == {"fft", "spectrum", "mel_log", "dct", "other"}, stages
    assert all(v > 0 for v in stages.values()), stages
    assert abs(sum(stages.values()) - i["per_frame"]) < 1, (stages, i["per_frame"])
    assert abs(i["per_frame"] * r["frames"] + i["peak_gain"] - n) < r["frames"]
    f = r["flash"]
    assert r["flash_bytes"] == f["code"] + f["constants"] + f["data_init"] == f["total"]
    assert f["code_and_constants_by_origin"]["dsp"] > 0
    m = r["ram"]
    assert r["ram_bytes"] == m["static_data"] + m["stack"] == m["total"]
    assert m["static_data"] >= m["tables"] + m["scratch"] + m["window"] + m["features"]
    assert 0 < m["stack"] < m["stack_reserved"]
# Repeatable: the same counts, figures and bytes.
for key in ("instructions_per_window", "instructions", "flash_bytes", "ram_bytes"):
    assert a[key] == b[key], (key, a[key], b[key])
PY
cmp -s "$work/kws1.bin" "$work/kws2.bin" || fail "the two runs' features differ"
cmp -s "$work/window1.raw" "$work/window2.raw" || fail "the synthetic window is not fixed"
# The host's CLI frontend on the same window gives the device's bytes.
"$tierml" features "$work/window1.raw" --recipe kws --output "$work/host.bin" > /dev/null
cmp -s "$work/kws1.bin" "$work/host.bin" || fail "device features differ from tierml features"

# Bad usage exits 2 and says why.
expect_usage() {
  local want=$1; shift
  set +e; "$tierml" profile "$@" > /dev/null 2> "$work/stderr"; local got=$?; set -e
  [ "$got" = 2 ] || fail "profile $* exited $got, expected 2: $(cat "$work/stderr")"
  grep -q "$want" "$work/stderr" || fail "profile $*: no '$want' in: $(cat "$work/stderr")"
}
expect_usage "unknown recipe 'vww' (kws or ad)" --features vww --target cortex-m4
expect_usage "a model or --features RECIPE is required" --target cortex-m4
expect_usage "not both" "$work/kws1.bin" --features kws --target cortex-m4
expect_usage "unknown target" --features kws --target cortex-m0
echo "PASS"
