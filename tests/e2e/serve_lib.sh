# Shared by the serve_*_test.sh scripts: a temporary model repository, the
# real server on a free loopback port, curl requests and JSON checks.
# Usage: source serve_lib.sh TIERML SERVE_TEST_MODELS
tierml=$1
models=$2
command -v curl > /dev/null || { echo "SKIP: curl missing"; exit 77; }
[ -x /usr/bin/python3 ] || { echo "SKIP: /usr/bin/python3 missing"; exit 77; }
py=/usr/bin/python3
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -9 "$server_pid" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  if [ -f "$work/server.err" ]; then echo "--- server log:"; tail -20 "$work/server.err"; fi
  exit 1
}
# A command that ends the test under `set -e` is named, with the logs.
set -o errtrace
trap 'fail "${BASH_SOURCE[0]##*/}:$LINENO: \`$BASH_COMMAND\` exited $?"' ERR

# make_model KIND REPO/NAME/VERSION [VARIANT]
make_model() {
  mkdir -p "$2"
  "$models" "$1" "$2/model.tflite" "${3:-}" || fail "cannot write $1 model"
}

# start_server REPO [serve options...]: sets server_pid and base.
start_server() {
  local repo=$1; shift
  "$tierml" serve --model-repository "$repo" --host 127.0.0.1 --port 0 --json \
    "$@" > "$work/server.out" 2> "$work/server.err" &
  server_pid=$!
  local port=""
  for _ in $(seq 300); do
    port=$($py -c 'import json,sys
try: print(json.loads(open(sys.argv[1]).readline())["port"])
except Exception: pass' "$work/server.out")
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2> /dev/null || fail "server exited at start"
    sleep 0.1
  done
  [ -n "$port" ] || fail "server did not report its port"
  base="http://127.0.0.1:$port"
}

# stop_server: SIGTERM, then the exit status must be 0 (a clean drain).
stop_server() {
  kill -TERM "$server_pid"
  local status=0
  wait "$server_pid" || status=$?
  server_pid=""
  [ "$status" = 0 ] || fail "server exited $status after SIGTERM"
}

# req METHOD PATH [curl args...]: body to $work/body, headers to
# $work/headers, status code to $code.
req() {
  local method=$1 path=$2; shift 2
  code=$(curl -s -o "$work/body" -D "$work/headers" -w '%{http_code}' \
    -X "$method" "$@" "$base$path") || code="curl-failed"
}

# post_json PATH JSON [curl args...]
post_json() {
  local path=$1 body=$2; shift 2
  printf '%s' "$body" > "$work/request"
  req POST "$path" -H 'Content-Type: application/json' \
    --data-binary "@$work/request" "$@"
}

expect_code() {  # want, what
  [ "$code" = "$1" ] || fail "$2: HTTP $code, expected $1: $(head -c 400 "$work/body")"
}

# check PYTHON_EXPR: evaluated with b = the JSON body of the last response.
check() {
  $py - "$work/body" "$1" <<'PY' || fail "check failed: $1 on $(head -c 600 "$work/body")"
import json, sys
b = json.load(open(sys.argv[1]))
ok = eval(sys.argv[2])
sys.exit(0 if ok else 1)
PY
}

# metric NAME_WITH_LABELS: the value of one sample of GET /metrics.
# (Fetched to a file first: a reader that stops at the sample would make curl
# fail on a closed pipe.)
metric() {
  curl -s -o "$work/metrics.scrape" "$base/metrics" || fail "GET /metrics failed"
  $py -c 'import sys
name = sys.argv[1]
for line in open(sys.argv[2]):
    if line.startswith(name + " "):
        print(line.split()[-1]); break
else:
    print("missing")' "$1" "$work/metrics.scrape"
}

# Background clients: add each pid to `pids`; wait_clients waits for those
# only (a bare `wait` would wait for the server too).
pids=()
wait_clients() {
  local pid
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  pids=()
}
