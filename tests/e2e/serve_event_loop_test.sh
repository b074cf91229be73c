#!/usr/bin/env bash
# tierml serve, the event loop: with a single HTTP thread, a request waiting
# for its batch to fill does not hold up requests on other connections (its
# connection is suspended, not its thread), and a waiting request still gets
# its 503 at its own deadline, not when the batch runs.
set -euo pipefail
source "$(dirname "$0")/serve_lib.sh" "$1" "$2"

repo=$work/repo
make_model classifier "$repo/batched/1"
make_model classifier "$repo/fast/1"
# A lone request waits a full second for its batch to fill.
printf 'max_batch_size: 8\nmax_queue_delay_us: 1000000\ninstance_count: 1\n' \
  > "$repo/batched/config.yaml"
start_server "$repo" --http-threads 1 --predict-model fast

x='{"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}'
curl -s -o "$work/batched.json" -w '%{http_code} %{time_total}\n' -X POST -d "$x" \
  "$base/v2/models/batched/infer" > "$work/batched.status" &
batched_pid=$!
pids+=($batched_pid)
sleep 0.2  # the batched request is in and waiting

# /predict on another connection, through the same (only) HTTP thread.
curl -s -o "$work/body" -w '%{http_code} %{time_total}\n' -X POST \
  -d '{"x": [1, 2, 3, 4]}' "$base/predict" > "$work/predict.status"
read -r code seconds < "$work/predict.status"
expect_code 200 "/predict while a batched request waits"
kill -0 "$batched_pid" 2> /dev/null || fail "the batched request ended before /predict was answered"
$py -c 'import sys; sys.exit(float(sys.argv[1]) < 0.5)' "$seconds" \
  && fail "/predict took $seconds s: it waited behind the batched request"
echo "/predict answered in $seconds s while a batched request waited"

wait_clients
read -r code seconds < "$work/batched.status"
cp "$work/batched.json" "$work/body"
expect_code 200 "the batched request"
check 'b["model_name"] == "batched" and len(b["outputs"][0]["data"]) == 3'
$py -c 'import sys; sys.exit(float(sys.argv[1]) >= 0.9)' "$seconds" \
  && fail "the batched request took $seconds s: it did not wait for its batch"

# A deadline of 0.1 s in a batch that would run after 1 s: 503 at 0.1 s.
hurry='{"parameters": {"timeout": 100000}, "inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}'
curl -s -o "$work/body" -w '%{http_code} %{time_total}\n' -X POST -d "$hurry" \
  "$base/v2/models/batched/infer" > "$work/hurry.status"
read -r code seconds < "$work/hurry.status"
expect_code 503 "a 0.1 s deadline in a 1 s batch"
check '"deadline" in b["error"]'
$py -c 'import sys; sys.exit(float(sys.argv[1]) < 0.6)' "$seconds" \
  && fail "the 0.1 s deadline was answered after $seconds s"
echo "the 0.1 s deadline was answered after $seconds s"

stop_server
echo "PASS"
