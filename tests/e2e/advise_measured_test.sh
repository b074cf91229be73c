#!/usr/bin/env bash
# tierml advise --measured: a model profiled under QEMU (cortex-m4, both
# engines) feeds the advisor, whose footprint and latency then come from the
# profile's figures, checked here against the reports themselves; a profile
# of another core is refused. Skips without QEMU or the Arm toolchain.
set -euo pipefail
tierml=$1
make_model=$2
source "$(dirname "$0")/cortex_m_lib.sh"

"$make_model" "$work/model.tflite" >/dev/null
for engine in compiled interpreter; do
  "$tierml" profile "$work/model.tflite" --target cortex-m4 --engine "$engine" --json \
    > "$work/$engine.json" 2>/dev/null || fail "profile --engine $engine"
done
cat > "$work/scenario.yaml" <<YAML
name: measured-orientation
task: {tiny_model: model.tflite}
device: nrf52840
firmware: {flash_kib: 96, ram_kib: 24}
sensor: {window_bytes: 12, inferences_per_day: 86400}
requirements: {radio: ble, latency_ms: 50}
YAML
"$tierml" advise "$work/scenario.yaml" --json > "$work/estimated.json"
"$tierml" advise "$work/scenario.yaml" --json --measured "$work/compiled.json" \
  --measured "$work/interpreter.json" > "$work/measured.json"

"$py" - "$work" <<'PY'
import json, sys
w = sys.argv[1]
advice = json.load(open(f"{w}/measured.json"))
estimated = json.load(open(f"{w}/estimated.json"))
def option(a, placement):
    return next(o for o in a["options"] if o["placement"] == placement)
def criterion(o, name):
    return next(c for c in o["criteria"] if c["name"] == name)
cpi = 2.66 / 7.70 / 0.30  # nrf52840: its interpreter calibration, data/boards.yaml
for engine, placement in (("compiled", "tinyml-compiled"), ("interpreter", "tinyml-interpreter")):
    report = json.load(open(f"{w}/{engine}.json"))
    o = option(advice, placement)
    fig = o["figures"]
    flash = 96 + (report["flash"]["runtime_code"] + report["flash"]["model"]) / 1024
    ram = 24 + report["ram"]["total"] / 1024
    assert abs(fig["flash_kib"] - flash) < 1e-9, (engine, fig["flash_kib"], flash)
    assert abs(fig["ram_kib"] - ram) < 1e-9, (engine, fig["ram_kib"], ram)
    latency = report["instructions_per_inference"] * cpi / 64e6 * 1e3
    assert abs(fig["latency_ms"] - latency) < 1e-9 * latency, (engine, fig["latency_ms"], latency)
    assert "instructions measured on cortex-m4" in criterion(o, "latency")["why"]
    # The estimate differs: the measurement changed the answer's inputs.
    assert option(estimated, placement)["figures"]["flash_kib"] != fig["flash_kib"]
assert any("measured by `tierml profile`" in line for line in advice["assumptions"])
assert not any("estimates;" in line for line in advice["assumptions"]), advice["assumptions"]
PY

# A profile of another core than the device's is refused with the fix.
sed 's/"cortex-m4"/"cortex-m7"/' "$work/compiled.json" > "$work/m7.json"
if "$tierml" advise "$work/scenario.yaml" --measured "$work/m7.json" 2> "$work/err"; then
  fail "a cortex-m7 profile was accepted for an nrf52840"
fi
grep -q -- "--target cortex-m4" "$work/err" || fail "no fix named: $(cat "$work/err")"
echo "PASS"
