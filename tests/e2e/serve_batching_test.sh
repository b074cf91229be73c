#!/usr/bin/env bash
# tierml serve, execution: dynamic batching gives the same bytes as unbatched
# execution (and really batches), a full queue answers 503 with Retry-After,
# and SIGTERM lets in-flight requests finish before the process exits 0.
set -euo pipefail
source "$(dirname "$0")/serve_lib.sh" "$1" "$2"

repo=$work/repo
make_model classifier "$repo/batched/1"
cp -r "$repo/batched" "$repo/single"
make_model slow "$repo/slow/1"
printf 'max_batch_size: 8\nmax_queue_delay_us: 300000\ninstance_count: 1\n' \
  > "$repo/batched/config.yaml"
printf 'max_batch_size: 1\ninstance_count: 1\n' > "$repo/single/config.yaml"
printf 'max_batch_size: 1\nqueue_limit: 2\ninstance_count: 1\n' > "$repo/slow/config.yaml"
start_server "$repo" --timeout-ms 60000

# --- batching: 8 concurrent requests with different inputs ---------------------
infer_body() {  # i: a distinct input per request
  printf '{"id": "r%s", "inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [%s.5, -%s, 0.25, %s]}]}' \
    "$1" "$1" "$1" "$((10 - $1))"
}
labels='model="batched",version="1"'
for i in $(seq 1 8); do
  infer_body "$i" > "$work/in$i.json"
  curl -s -o "$work/batched$i.json" -X POST --data-binary "@$work/in$i.json" \
    "$base/v2/models/batched/infer" &
  pids+=($!)
done
wait_clients
for i in $(seq 1 8); do
  curl -s -o "$work/single$i.json" -X POST --data-binary "@$work/in$i.json" \
    "$base/v2/models/single/infer"
done
$py - "$work" <<'PY' || fail "batched results differ from unbatched ones"
import json, sys
for i in range(1, 9):
    b = json.load(open(f"{sys.argv[1]}/batched{i}.json"))
    s = json.load(open(f"{sys.argv[1]}/single{i}.json"))
    assert b["id"] == s["id"] == f"r{i}", (b, s)
    assert b["outputs"] == s["outputs"], (i, b, s)
# Different inputs give different outputs: a mix-up between requests shows.
assert len({json.dumps(json.load(open(f"{sys.argv[1]}/batched{i}.json"))["outputs"]) for i in range(1, 9)}) == 8
PY
batches=$(metric "tierml_batch_size_count{$labels}")
requests=$(metric "tierml_batch_size_sum{$labels}")
[ "$requests" = 8 ] || fail "batch histogram counted $requests requests, expected 8"
[ "$batches" -lt 8 ] || fail "8 concurrent requests ran in $batches batches: no batching"
echo "8 concurrent requests ran in $batches batches"

# --- a full queue: 503 with Retry-After ------------------------------------------
$py -c 'import json; print(json.dumps({"inputs": [{"name": "x", "shape": [1, 8, 8, 4], "datatype": "FP32", "data": [0.5] * 256}]}))' \
  > "$work/slow.json"
for i in $(seq 1 12); do
  curl -s -D "$work/slowh$i" -o "$work/slow$i.out" -w '%{http_code}' -X POST \
    --data-binary "@$work/slow.json" "$base/v2/models/slow/infer" > "$work/slowc$i" &
  pids+=($!)
done
wait_clients
ok=0; full=0
for i in $(seq 1 12); do
  case "$(cat "$work/slowc$i")" in
    200) ok=$((ok + 1)) ;;
    503) full=$((full + 1))
         grep -qi '^Retry-After: 1' "$work/slowh$i" || fail "503 without Retry-After"
         grep -q 'queue full' "$work/slow$i.out" || fail "503 body: $(cat "$work/slow$i.out")" ;;
    *) fail "slow request $i: HTTP $(cat "$work/slowc$i")" ;;
  esac
done
echo "12 concurrent requests on a queue of 2: $ok served, $full refused"
[ "$full" -ge 1 ] || fail "no request was refused with a queue limit of 2"
[ "$ok" -ge 2 ] || fail "only $ok requests served"
failures=$(metric 'tierml_inference_requests_total{model="slow",version="1",status="failure"}')
[ "$failures" = "$full" ] || fail "failure counter $failures, refused $full"

# --- deadline: a request whose deadline passes in the queue gets 503 --------------
$py -c 'import json; print(json.dumps({"parameters": {"timeout": 1000}, "inputs": [{"name": "x", "shape": [1, 8, 8, 4], "datatype": "FP32", "data": [0.5] * 256}]}))' \
  > "$work/hurry.json"
# Two slow requests: one runs, one waits in the queue. Once the queue depth
# shows it (rather than after a fixed sleep, which a loaded machine
# outlasts), the hurried request is certain to queue behind them.
for _ in 1 2; do
  curl -s -o /dev/null -X POST --data-binary "@$work/slow.json" "$base/v2/models/slow/infer" &
  pids+=($!)
done
for _ in $(seq 200); do
  [ "$(metric 'tierml_queue_depth{model="slow",version="1"}')" = 1 ] && break
  sleep 0.01
done
req POST /v2/models/slow/infer --data-binary "@$work/hurry.json"
expect_code 503 "1 ms deadline behind a slow request"; check '"deadline" in b["error"]'
wait_clients

# --- graceful drain: requests in flight at SIGTERM still succeed ------------------
for i in 1 2; do
  curl -s -o "$work/drain$i.json" -w '%{http_code}' -X POST \
    --data-binary "@$work/slow.json" "$base/v2/models/slow/infer" > "$work/drainc$i" &
  pids+=($!)
done
sleep 0.1
stop_server
wait_clients
for i in 1 2; do
  [ "$(cat "$work/drainc$i")" = 200 ] || fail "request $i in flight at SIGTERM: HTTP $(cat "$work/drainc$i")"
  $py -c 'import json,sys; assert len(json.load(open(sys.argv[1]))["outputs"][0]["data"]) == 64' \
    "$work/drain$i.json" || fail "drained request $i has no output"
done
echo "PASS"
