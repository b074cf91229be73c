#!/usr/bin/env bash
# tierml serve against the FastAPI + uvicorn baseline of DECISION.md, on the
# same trained pipeline: wrk at 64 connections on POST /predict, requests/s
# and p99 latency for each, and the ratio.
#   bench/serve_vs_fastapi.sh BUILD_DIR [SECONDS]
# FASTAPI_WORKERS sets uvicorn's workers (default 1: the baseline DECISION.md
# describes, and faster than 2 on this 2-core machine kind). HTTP_THREADS
# sets tierml's event loops (default half the cores: wrk's two threads run on
# the same machine, and a loop that shares its core with them waits a
# scheduler slice, which is what the p99 then measures).
# Needs wrk, python3-sklearn, python3-fastapi, python3-uvicorn (Debian).
set -euo pipefail
build=${1:?usage: serve_vs_fastapi.sh BUILD_DIR [SECONDS]}
seconds=${2:-10}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
tierml=$build/tierml
py=/usr/bin/python3
for tool in wrk curl; do command -v $tool > /dev/null || { echo "missing $tool"; exit 77; }; done
$py -c 'import sklearn, fastapi, uvicorn, joblib' || { echo "missing Python packages"; exit 77; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# One trained pipeline for both servers.
mkdir -p "$work/repo/baseline/1"
$py "$root/tools/export/sklearn_to_tflite.py" --train-baseline "$work/model.joblib" \
  "$work/repo/baseline/1/model.tflite" --tierml "$tierml"
cores=$(nproc)
workers=${FASTAPI_WORKERS:-1}
http_threads=${HTTP_THREADS:-$(( cores / 2 > 0 ? cores / 2 : 1 ))}

free_port() { $py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_up() {  # url
  for _ in $(seq 200); do
    curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
      -d '{"x": [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}' "$1" && return 0
    sleep 0.1
  done
  echo "server at $1 did not come up"; exit 1
}

tierml_port=$(free_port)
"$tierml" serve --model-repository "$work/repo" --host 127.0.0.1 --port "$tierml_port" \
  --http-threads "$http_threads" > /dev/null 2> "$work/tierml.log" &
pids+=($!)
fastapi_port=$(free_port)
(cd "$here" && TIERML_BASELINE_MODEL=$work/model.joblib exec $py -m uvicorn \
  serve_fastapi_baseline:app --host 127.0.0.1 --port "$fastapi_port" \
  --workers "$workers" --log-level warning) &
pids+=($!)
wait_up "http://127.0.0.1:$tierml_port/predict"
wait_up "http://127.0.0.1:$fastapi_port/predict"

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"x": [0.12, -1.3, 0.5, 2.2, -0.7, 0.03, 1.1, -0.4, 0.9, -2.1, 0.33, 0.0, 1.7, -0.25, 0.6, -1.05]}'
LUA

# Prints "requests_per_s p99_ms".
measure() {
  wrk -t2 -c64 -d"${seconds}s" --latency -s "$work/post.lua" "$1" > "$work/wrk.txt"
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt")
  [ -z "$non2xx" ] || { echo "non-2xx answers: $non2xx" >&2; cat "$work/wrk.txt" >&2; exit 1; }
  $py - "$work/wrk.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
p99 = float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]
print(f"{rps:.1f} {p99:.3f}")
PY
}

read -r t_rps t_p99 < <(measure "http://127.0.0.1:$tierml_port/predict")
read -r f_rps f_p99 < <(measure "http://127.0.0.1:$fastapi_port/predict")
echo "POST /predict, wrk -t2 -c64 -d${seconds}s, $cores cores"
printf '%-28s %12s %10s\n' server "requests/s" "p99 ms"
printf '%-28s %12s %10s\n' "tierml serve ($http_threads loops)" "$t_rps" "$t_p99"
printf '%-28s %12s %10s\n' "FastAPI+uvicorn ($workers workers)" "$f_rps" "$f_p99"
$py -c 'import sys; t, f, tp, fp = map(float, sys.argv[1:]); print(f"ratio: {t / f:.1f}x requests/s, p99 {fp / tp:.1f}x lower")' \
  "$t_rps" "$f_rps" "$t_p99" "$f_p99"
