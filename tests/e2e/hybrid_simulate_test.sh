#!/bin/bash
# tierml simulate: 1,000 simulated devices against a real broker and two
# gateways on this machine. Every event published gets a verdict, the
# confirm model rejects every decoy, and the report's figures are sane.
set -euo pipefail
source "$(dirname "$0")/hybrid_lib.sh"

start_broker
make_models
start_gateway gw-a
start_gateway gw-b
cat > "$work/scenario.yaml" << 'YAML'
trigger_model: models/trigger.tflite
features: ad
fleet: sim
events_per_hour: 120
decoys_per_hour: 120
min_gain: 0.005
board: nrf52840
radio: ble
battery: aa-lithium
connections: 4
YAML
"$tierml" simulate --devices 1000 --duration 20 --scenario "$work/scenario.yaml" \
  --broker "$broker" --drain 30 --json > "$work/report.json" 2> "$work/simulate.err" || fail "simulate failed"
$py - "$work/report.json" << 'PY' || fail "simulation report"
import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps(r, indent=1))
assert r["devices"] == 1000 and r["inferences"] == 1000 * int(20 / r["window_hop_s"]), r["inferences"]
assert r["triggers"] > 0 and r["verdicts"] == r["triggers"] and r["missing_verdicts"] == 0
assert r["max_lag_ms"] < 1000, "the simulator could not keep up with real time"
assert r["bytes"]["sent"] > 0 and r["bytes"]["ratio"] < 0.01
c = r["confirmation"]
assert c["false_positives"] == 0 and c["precision"] == 1.0, c
assert 0 < c["recall"] <= c["trigger_recall"] <= 1, c
lat = r["latency_ms"]
assert 0 < lat["p50"] <= lat["p90"] <= lat["p99"] <= lat["max"], lat
e = r["energy"]
assert e["per_device_j_per_day"]["mean"] < e["raw_streaming_j_per_day"]
assert e["battery_life_days"]["mean"] > e["raw_streaming_battery_life_days"] > 0
PY
# The group decided each published event once.
$py -c 'import collections, json, sys
n = collections.Counter(json.loads(l)["id"] for l in open(sys.argv[1]))
r = json.load(open(sys.argv[2]))
assert len(n) == r["triggers"] and max(n.values()) == 1, (len(n), r["triggers"])' \
  "$work/state/decisions.log" "$work/report.json" || fail "decision log does not match"
stop_gateway gw-a
stop_gateway gw-b
echo "PASS"
