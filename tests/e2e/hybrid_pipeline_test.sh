#!/bin/bash
# Hybrid tier end to end: device -> broker -> gateway -> verdict. Tones must
# be confirmed and noise bursts (which fire the trigger too) rejected, each
# event decided once; malformed events are rejected with a reason and the
# gateway keeps working (also when a window does not fit the confirm
# model); metrics and usage errors say what they should.
set -euo pipefail
source "$(dirname "$0")/hybrid_lib.sh"

start_broker
make_models
start_watcher
start_gateway gw-a --metrics-port 0

# Tones at 1, 3, 5 s; noise bursts at 2 and 6 s.
make_stream s1 8 1,3,5 2,6
start_device dev-1 s1 --rate max --linger 10
wait_device dev-1
event_ids dev-1 > "$work/ids"
[ "$(wc -l < "$work/ids")" = 5 ] || fail "expected 5 triggers, got $(wc -l < "$work/ids")"
wait_for 10 all_decided 5 || fail "only $(decided_count) of 5 events decided"
check_once "$work/ids"

# The confirm model: tones (window at 1, 3, 5 s) confirmed, noise not.
$py - "$work/dev-1.out" "$work/verdicts.jsonl" << 'PY' || fail "confirmations do not match the injected truth"
import json, sys
starts = {}
for line in open(sys.argv[1]):
    j = json.loads(line)
    if j.get("type") == "event": starts[j["id"]] = j["window_start_s"]
verdicts = {json.loads(l)["id"]: json.loads(l) for l in open(sys.argv[2])}
for i, t in starts.items():
    tone = round(t) in (1, 3, 5)
    assert verdicts[i]["confirmed"] == tone, (i, t, verdicts[i])
print("confirmed", sorted(round(t) for i, t in starts.items() if verdicts[i]["confirmed"]))
PY

# The summary reports bytes against raw streaming and an energy estimate.
$py -c 'import json,sys
s = [json.loads(l) for l in open(sys.argv[1])][-1]
assert s["type"] == "summary" and s["acked"] == 5 and s["queued"] == 0, s
assert 0 < s["bytes_sent"] < s["raw_bytes"], s
assert s["energy_j"] > 0, s
print("bytes sent", s["bytes_sent"], "raw", s["raw_bytes"], "energy_j", s["energy_j"])' \
  "$work/dev-1.out" || fail "device summary"

# Telemetry reached the broker (at least the final sample).
grep -q "Received PUBLISH from tierml-device-plant-dev-1 .*'tierml/plant/dev-1/telemetry'" \
  "$work/broker.log" || fail "no telemetry from dev-1"

# Malformed events: rejected with a logged reason, the gateway carries on.
"$tool" publish "$broker" tierml/plant/bad/events 'not an event' || fail "publish"
"$tool" publish "$broker" tierml/plant/bad/events "$(printf '\0\0\0\x02{}')" || fail "publish"
wait_for 10 grep -q '"rejected"' "$work/gw-a.out" || fail "no rejection logged"
[ "$(grep -c '"type":"rejected"' "$work/gw-a.out")" = 2 ] || fail "expected 2 rejections"
grep -q 'shorter than\|exceeds the payload\|not a JSON' "$work/gw-a.out" || fail "rejection without reason"
make_stream s2 4 1 -
start_device dev-2 s2 --rate max
wait_device dev-2
event_ids dev-1 dev-2 > "$work/ids"
wait_for 10 all_decided 6 || fail "the gateway stopped deciding after malformed input"
check_once "$work/ids"

# Raw samples do not fit the confirm model (it takes features): rejected,
# with both shapes named.
start_device dev-raw s2 --rate max --payload raw
wait_device dev-raw
wait_for 10 grep -q 'does not fit confirm model input' "$work/gw-a.out" ||
  fail "a raw window was not rejected as not fitting the confirm model"
grep -q 'INT16\[3072\] does not fit confirm model input INT8\[1,640\]' "$work/gw-a.out" ||
  fail "the rejection does not name both shapes"

port=$(metrics_port gw-a)
[ "$(metric "$port" 'tierml_gateway_events_total{outcome="decided"}')" = 6 ] || fail "decided metric"
[ "$(metric "$port" 'tierml_gateway_events_total{outcome="rejected"}')" = 3 ] || fail "rejected metric"
[ "$(metric "$port" 'tierml_gateway_device_confirmations_total{fleet="plant",device="dev-1"}')" = 3 ] ||
  fail "per-device confirmations"
[ "$(metric "$port" 'tierml_gateway_device_false_trigger_ratio{fleet="plant",device="dev-1"}')" = 0.4 ] ||
  fail "false-trigger ratio"

# Usage errors say what to do.
status=0
"$tierml" device --model "$work/models/trigger.tflite" --features ad --stream "$work/s1.wav" \
  --broker tcp://x --id d 2> "$work/usage.err" || status=$?
[ "$status" = 2 ] && grep -q 'mqtt://HOST:PORT' "$work/usage.err" || fail "bad --broker: exit $status"

stop_gateway gw-a
echo "PASS"
