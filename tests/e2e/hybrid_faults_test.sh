#!/bin/bash
# Link faults: the broker restarts mid-run, then a device loses its link for
# a while (a relay we cut), then a device exits with events still queued and
# a second run sends them. Every event ends with exactly one decision.
set -euo pipefail
source "$(dirname "$0")/hybrid_lib.sh"

start_broker
make_models
start_watcher
start_gateway gw-a

# 1. Broker restart (SIGTERM; persistence keeps the sessions).
make_stream s1 10 1,3,5,7 2,6 1
start_device dev-1 s1 --rate realtime
sleep 2.5
stop_broker
sleep 3
start_broker
wait_device dev-1
grep -q '"state":"down"' "$work/dev-1.out" || fail "device did not notice the broker going away"
grep -q '"queued":true' "$work/dev-1.out" || fail "no event was queued during the outage"
event_ids dev-1 > "$work/ids"
[ "$(wc -l < "$work/ids")" = 6 ] || fail "expected 6 triggers, got $(wc -l < "$work/ids")"
wait_for 15 all_decided 6 || fail "after the broker restart only $(decided_count) of 6 decided"
check_once "$work/ids"

# 2. The device's link drops for 4 s (the relay closes its connections).
relay_port_file="$work/relay.port"
$py "$here/hybrid_relay.py" "$broker_port" > "$relay_port_file" &
procs[relay]=$!
wait_for 5 test -s "$relay_port_file" || fail "relay did not start"
relay="mqtt://127.0.0.1:$(cat "$relay_port_file")"
make_stream s2 10 1,4,7 2,8 2
"$tierml" device --model "$work/models/trigger.tflite" --features ad --stream "$work/s2.wav" \
  --broker "$relay" --id dev-2 --fleet plant --queue-dir "$work/queue-dev-2" --json \
  --rate realtime > "$work/dev-2.out" 2> "$work/dev-2.err" &
procs[dev-2]=$!
sleep 2
kill -USR1 "${procs[relay]}"
sleep 4
kill -USR2 "${procs[relay]}"
wait_device dev-2
grep -q '"queued":true' "$work/dev-2.out" || fail "no event was queued while the link was down"
event_ids dev-1 dev-2 > "$work/ids"
[ "$(wc -l < "$work/ids")" = 11 ] || fail "expected 11 triggers, got $(wc -l < "$work/ids")"
wait_for 15 all_decided 11 || fail "after the link loss only $(decided_count) of 11 decided"
check_once "$work/ids"

# 3. The link is down when the stream ends: events stay on disk; the next
#    run of the device (same queue) sends them.
kill -USR1 "${procs[relay]}"
make_stream s3 4 1,2.5 - 3
"$tierml" device --model "$work/models/trigger.tflite" --features ad --stream "$work/s3.wav" \
  --broker "$relay" --id dev-3 --fleet plant --queue-dir "$work/queue-dev-3" --json \
  --rate max --linger 0.5 > "$work/dev-3.out" 2> "$work/dev-3.err" || fail "device dev-3"
$py -c 'import json,sys
s = [json.loads(l) for l in open(sys.argv[1])][-1]
sys.exit(0 if s["type"] == "summary" and s["queued"] == 2 else 1)' "$work/dev-3.out" ||
  fail "dev-3 should end with 2 events queued"
kill -USR2 "${procs[relay]}"
make_stream quiet 1 - - 4
"$tierml" device --model "$work/models/trigger.tflite" --features ad --stream "$work/quiet.wav" \
  --broker "$relay" --id dev-3 --fleet plant --queue-dir "$work/queue-dev-3" --json \
  --rate max > "$work/dev-3b.out" 2> "$work/dev-3b.err" || fail "device dev-3, second run"
grep -q '"recovered":2' "$work/dev-3b.out" || fail "second run did not recover the queue"
event_ids dev-1 dev-2 dev-3 > "$work/ids"
wait_for 15 all_decided 13 || fail "after the restart only $(decided_count) of 13 decided"
check_once "$work/ids"
echo "verdicts sent again for ids already decided: $(grep -c '"type":"duplicate"' "$work/gw-a.out" || true)"
echo "events published by the devices, resends included: $($py -c 'import json,sys
print(sum([json.loads(l) for l in open(f)][-1]["published"] for f in sys.argv[1:]))' \
  "$work/dev-1.out" "$work/dev-2.out" "$work/dev-3.out" "$work/dev-3b.out")"
stop_gateway gw-a
echo "PASS"
