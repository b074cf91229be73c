#!/bin/bash
# Two gateways of one group split the events of two devices; one of them is
# killed with SIGKILL mid-run and restarted with the same id, then again
# during a burst. Every event must end with exactly one decision (counted by
# id), and both gateways must have decided some.
set -euo pipefail
source "$(dirname "$0")/hybrid_lib.sh"

start_broker
make_models
start_watcher
start_gateway gw-a
start_gateway gw-b

# One event sent four times (a device resending it): the two gateways get
# two copies each; one decision, its verdict sent again for each copy.
"$tool" publish-event "$broker" plant dev-0 resent-1 4 || fail "publish-event"
echo resent-1 > "$work/ids"
duplicates() { test "$(cat "$work"/gw-*.out | grep -c '"type":"duplicate"')" = 3; }
wait_for 20 duplicates ||
  fail "expected 3 duplicates, got $(cat "$work"/gw-*.out | grep -c '"type":"duplicate"')"
check_once "$work/ids"
[ "$(grep -c '"id":"resent-1"' "$work/verdicts.jsonl")" = 4 ] || fail "expected 4 verdict messages"
grep -q '"id":"resent-1"' "$work/gw-a.out" && grep -q '"id":"resent-1"' "$work/gw-b.out" ||
  fail "the copies did not reach both gateways"

# 14 s streams in real time, a burst every second (tones and noise mixed).
make_stream s1 14 1,3,5,7,9,11 2,4,6,8,10,12 1
make_stream s2 14 2,4,6,8,10,12 1,3,5,7,9,11 2
start_device dev-1 s1 --rate realtime
start_device dev-2 s2 --rate realtime
sleep 5
kill -9 "${procs[gw-a]}"
wait "${procs[gw-a]}" 2> /dev/null || true
unset 'procs[gw-a]'
decided_at_kill=$(decided_count)
sleep 2
start_gateway gw-a
wait_device dev-1
wait_device dev-2
event_ids dev-1 dev-2 > "$work/ids"
total=$(wc -l < "$work/ids")
echo resent-1 >> "$work/ids"
[ "$total" = 24 ] || fail "expected 24 triggers, got $total"
wait_for 20 all_decided $((total + 1)) || fail "only $(decided_count) of $total events decided"
check_once "$work/ids"
echo "decided before the kill: $decided_at_kill"
$py -c 'import collections, json, sys
by = collections.Counter(json.loads(json.loads(l)["d"])["gateway"] for l in open(sys.argv[1]))
print("decisions per gateway:", dict(by))
sys.exit(0 if by["gw-a"] > 0 and by["gw-b"] > 0 else 1)' "$work/state/decisions.log" ||
  fail "one gateway decided nothing"

# A burst: two devices at full speed, and gw-a killed while it is busy, so
# some of its events are in flight (sent, not yet acknowledged) when it dies.
make_stream s3 30 "$(seq -s, 1 2 29)" "$(seq -s, 2 2 28)" 3
make_stream s4 30 "$(seq -s, 2 2 28)" "$(seq -s, 1 2 29)" 4
start_device dev-3 s3 --rate max
start_device dev-4 s4 --rate max
wait_for 10 grep -q '"type":"event"' "$work/dev-3.out" || fail "dev-3 did not trigger"
kill -9 "${procs[gw-a]}"
wait "${procs[gw-a]}" 2> /dev/null || true
unset 'procs[gw-a]'
start_gateway gw-a
wait_device dev-3
wait_device dev-4
event_ids dev-1 dev-2 dev-3 dev-4 > "$work/ids"
total=$(wc -l < "$work/ids")
[ "$total" = 82 ] || fail "expected 82 triggers, got $total"
echo resent-1 >> "$work/ids"
wait_for 20 all_decided $((total + 1)) || fail "only $(decided_count) of $total events decided"
check_once "$work/ids"
echo "verdicts sent again for ids already decided: $(cat "$work"/gw-*.out | grep -c '"type":"duplicate"' || true) (3 of them for resent-1)"
stop_gateway gw-a
stop_gateway gw-b
echo "PASS"
