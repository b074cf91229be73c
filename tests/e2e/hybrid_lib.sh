# Shared by the hybrid_*_test.sh scripts: a real mosquitto broker on a free
# loopback port (persistence on, so a restart keeps QoS 1 sessions), test
# models from hybrid_test_tool, gateways, devices, a verdict watcher, and
# checks that count event ids.
# Usage: source hybrid_lib.sh TIERML HYBRID_TEST_TOOL
tierml=$1
tool=$2
mosquitto=$(command -v mosquitto || echo /usr/sbin/mosquitto)
[ -x "$mosquitto" ] || { echo "SKIP: mosquitto missing"; exit 77; }
[ -x /usr/bin/python3 ] || { echo "SKIP: /usr/bin/python3 missing"; exit 77; }
py=/usr/bin/python3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
declare -A procs=()  # name -> pid of every background process we started

cleanup() {
  local name
  for name in "${!procs[@]}"; do kill -9 "${procs[$name]}" 2> /dev/null || true; done
  wait 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  local f
  for f in "$work"/*.out "$work"/*.err "$work"/broker.log; do
    [ -s "$f" ] || continue
    echo "--- $f:"; tail -25 "$f"
  done
  exit 1
}
# A command that ends the test under `set -e` is named, with the logs.
set -o errtrace
trap 'fail "${BASH_SOURCE[0]##*/}:$LINENO: \`$BASH_COMMAND\` exited $?"' ERR

free_port() {
  $py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for SECONDS COMMAND...: polls every 0.1 s until COMMAND succeeds.
wait_for() {
  local limit=$1; shift
  local i
  for i in $(seq $((limit * 10))); do
    "$@" && return 0
    sleep 0.1
  done
  return 1
}

port_open() { $py -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2)' "$1" 2> /dev/null; }

broker_port=$(free_port)
broker="mqtt://127.0.0.1:$broker_port"
mkdir -p "$work/broker"
cat > "$work/mosquitto.conf" << CONF
listener $broker_port 127.0.0.1
allow_anonymous true
set_tcp_nodelay true
persistence true
persistence_location $work/broker/
log_dest file $work/broker.log
log_type all
user $(id -un)
CONF

start_broker() {
  "$mosquitto" -c "$work/mosquitto.conf" > /dev/null 2>&1 &
  procs[broker]=$!
  wait_for 10 port_open "$broker_port" || fail "mosquitto did not start on port $broker_port"
}

# stop_broker: SIGTERM (mosquitto saves its persistence file on the way out).
stop_broker() {
  kill -TERM "${procs[broker]}"
  wait "${procs[broker]}" 2> /dev/null || true
  unset 'procs[broker]'
}

make_models() {
  "$tool" models "$work/models" > "$work/calibration.json" || fail "cannot write test models"
}

# make_stream NAME SECONDS TONES NOISES [SEED]: $work/NAME.wav
make_stream() {
  "$tool" stream "$work/$1.wav" "$2" "$3" "$4" "${5:-1}" || fail "cannot write stream $1"
}

subscribed() {  # pattern: the broker has logged a subscription to it N times
  [ "$(grep -c -F " $1" "$work/broker.log" 2> /dev/null)" -ge "${2:-1}" ]
}

# start_gateway NAME [extra options]: JSON log in $work/NAME.out.
start_gateway() {
  local name=$1; shift
  local subs
  subs=$(grep -c -F ' $share/grp/tierml/+/+/events' "$work/broker.log" 2> /dev/null || true)
  "$tierml" gateway --broker "$broker" --model-repository "$work/models/repo" --group grp \
    --id "$name" --state-dir "$work/state" --json "$@" >> "$work/$name.out" 2>> "$work/$name.err" &
  procs[$name]=$!
  wait_for 15 subscribed '$share/grp/tierml/+/+/events' $((${subs:-0} + 1)) ||
    fail "gateway $name did not subscribe"
}

# stop_gateway NAME: SIGTERM, must exit 0.
stop_gateway() {
  local status=0
  kill -TERM "${procs[$1]}"
  wait "${procs[$1]}" || status=$?
  unset "procs[$1]"
  [ "$status" = 0 ] || fail "gateway $1 exited $status after SIGTERM"
}

start_watcher() {
  "$tool" watch "$broker" "$work/verdicts.jsonl" watcher > /dev/null 2>&1 &
  procs[watcher]=$!
  wait_for 10 subscribed 'tierml/+/+/verdicts' || fail "watcher did not subscribe"
}

# start_device NAME STREAM [options]: in the background; JSON log in $work/NAME.out.
start_device() {
  local name=$1 stream=$2; shift 2
  "$tierml" device --model "$work/models/trigger.tflite" --features ad \
    --stream "$work/$stream.wav" --broker "$broker" --id "$name" --fleet plant \
    --queue-dir "$work/queue-$name" --refractory 0.5 --json "$@" > "$work/$name.out" 2> "$work/$name.err" &
  procs[$name]=$!
}

# wait_device NAME: must exit 0.
wait_device() {
  local status=0
  wait "${procs[$1]}" || status=$?
  unset "procs[$1]"
  [ "$status" = 0 ] || fail "device $1 exited $status"
}

# event_ids NAME...: the ids every named device reported, one per line.
event_ids() {
  local name
  for name in "$@"; do
    $py -c 'import json,sys
for line in open(sys.argv[1]):
    j = json.loads(line)
    if j.get("type") == "event": print(j["id"])' "$work/$name.out"
  done
}

# decided_count: distinct event ids with a verdict seen by the watcher.
decided_count() {
  $py -c 'import json,sys
ids = set()
try:
    for line in open(sys.argv[1]):
        ids.add(json.loads(line)["id"])
except FileNotFoundError: pass
print(len(ids))' "$work/verdicts.jsonl"
}
all_decided() { [ "$(decided_count)" -ge "$1" ]; }

# check_once IDS_FILE: every id in the file has exactly one decision (all its
# verdict messages identical), no verdict for any other id, and the group's
# decision log holds each id once.
check_once() {
  $py - "$1" "$work/verdicts.jsonl" "$work/state/decisions.log" << 'PY' || fail "exactly-once check failed"
import collections, json, sys
expected = [l.strip() for l in open(sys.argv[1]) if l.strip()]
assert len(expected) == len(set(expected)), "device reported an id twice"
decisions = collections.defaultdict(set)
messages = collections.Counter()
for line in open(sys.argv[2]):
    v = json.loads(line)
    decisions[v["id"]].add(json.dumps(v, sort_keys=True))
    messages[v["id"]] += 1
missing = [i for i in expected if i not in decisions]
extra = [i for i in decisions if i not in set(expected)]
split = {i: len(d) for i, d in decisions.items() if len(d) != 1}
logged = collections.Counter(json.loads(l)["id"] for l in open(sys.argv[3]))
twice = {i: n for i, n in logged.items() if n != 1}
print(f"events {len(expected)}, decided {len(decisions)}, verdict messages "
      f"{sum(messages.values())}, missing {len(missing)}, extra {len(extra)}, "
      f"more than one decision {len(split)}, logged twice {len(twice)}")
sys.exit(0 if not (missing or extra or split or twice) else 1)
PY
}

# metric PORT NAME_WITH_LABELS: one sample of the gateway's /metrics.
metric() {
  $py -c 'import sys, urllib.request
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics").read().decode()
for line in text.splitlines():
    if line.startswith(sys.argv[2] + " "):
        print(line.split()[-1]); break
else:
    print("missing")' "$1" "$2"
}

# metrics_port NAME: from the gateway's ready line.
metrics_port() {
  $py -c 'import json,sys
for line in open(sys.argv[1]):
    j = json.loads(line)
    if j.get("type") == "ready": print(j["metrics_port"])' "$work/$1.out" | tail -1
}
