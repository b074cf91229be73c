#!/usr/bin/env bash
# tierml serve on a CNN, the MLPerf Tiny KWS model from ../shared/golden, with
# and without dynamic batching: wrk at 16 connections on the KServe v2 infer
# endpoint with the golden input (JSON INT8 tensor), requests/s and latency
# percentiles and the mean executed batch for each configuration. Batches run as consecutive invokes on one interpreter
# (docs/serving.md), so batching buys fewer wake-ups, not fewer MACs.
#   bench/serve_kws_batching.sh BUILD_DIR [SECONDS]
# TIERML_SHARED_DIR overrides ../shared. Needs wrk and curl (Debian).
set -euo pipefail
build=${1:?usage: serve_kws_batching.sh BUILD_DIR [SECONDS]}
seconds=${2:-10}
here=$(cd "$(dirname "$0")" && pwd)
shared=${TIERML_SHARED_DIR:-$here/../../shared}
model=$shared/golden/tiny_kws_ref_model
tierml=$build/tierml
py=/usr/bin/python3
for tool in wrk curl; do command -v $tool > /dev/null || { echo "missing $tool"; exit 77; }; done
[ -f "$model/model.tflite" ] || { echo "no KWS model at $model: set TIERML_SHARED_DIR"; exit 77; }
work=$(mktemp -d)
pid=""
cleanup() { [ -z "$pid" ] || kill "$pid" 2> /dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# The request: the golden input as a JSON INT8 tensor.
$py - "$model/in_0.bin" > "$work/body.json" <<'PY'
import json, sys
data = [b - 256 if b > 127 else b for b in open(sys.argv[1], "rb").read()]
print(json.dumps({"inputs": [{"name": "input_1", "shape": [1, 49, 10, 1],
                              "datatype": "INT8", "data": data}]}))
PY
$py - "$work/body.json" > "$work/post.lua" <<'PY'
import json, sys
body = open(sys.argv[1]).read().strip()
print('wrk.method = "POST"')
print('wrk.headers["Content-Type"] = "application/json"')
print("wrk.body = " + json.dumps(body))
PY

free_port() { $py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Prints "requests_per_s p50_ms p99_ms mean_batch" for one config.yaml.
measure() {  # config
  rm -rf "$work/repo" && mkdir -p "$work/repo/kws/1"
  ln -s "$model/model.tflite" "$work/repo/kws/1/model.tflite"
  printf '%b' "$1" > "$work/repo/kws/config.yaml"
  local port
  port=$(free_port)
  "$tierml" serve --model-repository "$work/repo" --host 127.0.0.1 --port "$port" \
    > /dev/null 2> "$work/server.log" &
  pid=$!
  local url=http://127.0.0.1:$port/v2/models/kws/infer
  for _ in $(seq 200); do
    curl -s -o /dev/null -f -X POST --data-binary "@$work/body.json" "$url" && break
    sleep 0.1
  done
  wrk -t2 -c16 -d"${seconds}s" --latency -s "$work/post.lua" "$url" > "$work/wrk.txt"
  curl -s "http://127.0.0.1:$port/metrics" > "$work/metrics.txt"
  kill "$pid"; wait "$pid" 2> /dev/null || true; pid=""
  if grep -q "Non-2xx" "$work/wrk.txt"; then cat "$work/wrk.txt" >&2; exit 1; fi
  $py - "$work/wrk.txt" "$work/metrics.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(q):
    value, unit = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\s*$" % q, text, re.M).groups()
    return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
metrics = open(sys.argv[2]).read()
def metric(name):
    m = re.search(r"^%s\{[^}]*\} ([\d.e+]+)$" % name, metrics, re.M)
    return float(m.group(1)) if m else 0.0
count = metric("tierml_batch_size_count")
mean = metric("tierml_batch_size_sum") / count if count else 0.0
print(f"{rps:.1f} {ms(50):.3f} {ms(99):.3f} {mean:.2f}")
PY
}

echo "KWS (tiny_kws_ref_model) over POST /v2/models/kws/infer, wrk -t2 -c16 -d${seconds}s, $(nproc) cores"
printf '%-62s %11s %9s %9s %10s\n' configuration "requests/s" "p50 ms" "p99 ms" "mean batch"
for config in "max_batch_size: 1\n" \
              "max_batch_size: 8\nmax_queue_delay_us: 2000\n" \
              "max_batch_size: 8\nmax_queue_delay_us: 2000\ninstance_count: 1\n"; do
  read -r rps p50 p99 batch < <(measure "$config")
  printf '%-62s %11s %9s %9s %10s\n' "$(printf '%b' "$config" | paste -sd ' ')" \
    "$rps" "$p50" "$p99" "$batch"
done
