#!/usr/bin/env bash
# tierml serve --poll: a broken new version leaves the old one serving, a good
# new version takes over once loaded, a request in flight during a reload
# finishes on the version it started on, and removed versions are unloaded.
set -euo pipefail
source "$(dirname "$0")/serve_lib.sh" "$1" "$2"

repo=$work/repo
make_model classifier "$repo/clf/1" 0
make_model slow "$repo/slow/1"
# (A long deadline: twenty slow requests queue on one thread below, and a
# loaded machine must not turn the wait into 503s.)
start_server "$repo" --poll 0.2 --threads 1 --timeout-ms 120000 \
  --admin-token-file <(echo tok)

x='{"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}'
post_json /v2/models/clf/infer "$x"; expect_code 200 "version 1"
cp "$work/body" "$work/v1.json"

# Waits until the repository index satisfies a Python condition on `b`.
wait_index() {
  for _ in $(seq 100); do
    req POST /v2/repository/index -d '' -H 'Authorization: Bearer tok'
    if $py -c 'import json,sys; b = json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' \
      "$work/body" "$1" 2> /dev/null; then return 0; fi
    sleep 0.1
  done
  fail "index never satisfied: $1: $(cat "$work/body")"
}

# A broken version 2 (a truncated file): reported, and version 1 keeps serving.
mkdir -p "$repo/clf/2"
head -c 100 "$repo/clf/1/model.tflite" > "$repo/clf/2/model.tflite"
wait_index 'any(e.get("version") == "2" and e["state"] == "UNAVAILABLE" and e.get("reason") for e in b)'
post_json /v2/models/clf/infer "$x"; expect_code 200 "after a broken version 2"
check 'b["model_version"] == "1" and b["outputs"] == json.load(open(sys.argv[1].replace("body", "v1.json")))["outputs"]'
req GET /v2/models/clf/versions/2/ready; expect_code 400 "broken version ready"; check 'b["ready"] is False'
post_json /v2/models/clf/versions/2/infer "$x"; expect_code 503 "infer on the broken version"
req GET /v2/health/ready; expect_code 200 "ready with the old version serving"

# A good version 3 (other weights) takes over requests without a version.
mkdir -p "$repo/clf/tmp3"
make_model classifier "$repo/clf/tmp3" 1
mv "$repo/clf/tmp3" "$repo/clf/3"
wait_index 'any(e.get("version") == "3" and e["state"] == "READY" for e in b)'
post_json /v2/models/clf/infer "$x"; expect_code 200 "version 3"
check 'b["model_version"] == "3" and b["outputs"] != json.load(open(sys.argv[1].replace("body", "v1.json")))["outputs"]'
post_json /v2/models/clf/versions/1/infer "$x"; expect_code 200 "version 1 still addressable"
check 'b["outputs"] == json.load(open(sys.argv[1].replace("body", "v1.json")))["outputs"]'

# Version 2 fixed in place: reloaded and ready.
make_model classifier "$repo/clf/2" 0
wait_index 'any(e.get("version") == "2" and e["state"] == "READY" and "reason" not in e for e in b)'

# Removing a version unloads it.
rm -rf "$repo/clf/1"
wait_index 'not any(e.get("version") == "1" and e["name"] == "clf" for e in b)'
post_json /v2/models/clf/versions/1/infer "$x"; expect_code 404 "removed version"

# In flight across a reload: twenty requests queue on slow version 1, then
# version 1 is replaced by version 2. Those requests finish on version 1 even
# though it was unloaded while they waited or ran.
$py -c 'import json; print(json.dumps({"inputs": [{"name": "x", "shape": [1, 8, 8, 4], "datatype": "FP32", "data": [0.5] * 256}]}))' \
  > "$work/slow.json"
for i in $(seq 1 20); do
  curl -s -o "$work/inflight$i.json" -w '%{http_code}' -X POST \
    --data-binary "@$work/slow.json" "$base/v2/models/slow/infer" > "$work/inflight$i.code" &
  pids+=($!)
done
sleep 0.1
make_model slow "$work/slow_new"
mv "$work/slow_new" "$repo/slow/2"
rm -rf "$repo/slow/1"
unfinished=""
for _ in $(seq 200); do
  if grep -q 'slow version 1: removed' "$work/server.err"; then
    unfinished=$(for i in $(seq 1 20); do [ -s "$work/inflight$i.code" ] || echo "$i"; done)
    break
  fi
  sleep 0.02
done
wait_clients
grep -q 'slow version 1: removed' "$work/server.err" || fail "slow version 1 was not unloaded"
[ -n "$unfinished" ] || fail "every request finished before version 1 was unloaded: nothing was in flight"
on_old=""
for i in $(seq 1 20); do
  [ "$(cat "$work/inflight$i.code")" = 200 ] || fail "request $i in flight during the reload: HTTP $(cat "$work/inflight$i.code"): $(head -c 300 "$work/inflight$i.json")"
  version=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["model_version"])' "$work/inflight$i.json")
  # A request that reached the server after the swap rightly runs on 2.
  [ "$version" = 1 ] || [ "$version" = 2 ] || fail "request $i ran on version $version"
  if [ "$version" = 1 ] && echo "$unfinished" | grep -qx "$i"; then on_old="$on_old $i"; fi
done
[ -n "$on_old" ] || fail "no request in flight at the unload finished on version 1"
echo "finished on version 1 after it was unloaded:$on_old"
echo "requests unfinished when version 1 was unloaded: $(echo $unfinished)"
req POST /v2/models/slow/infer --data-binary "@$work/slow.json"; expect_code 200 "after the swap"
check 'b["model_version"] == "2" and b["outputs"] == json.load(open(sys.argv[1].replace("body", "inflight1.json")))["outputs"]'

# Under load: two clients send requests back to back over keep-alive while
# versions 4 and 5 arrive and 2 and 3 are removed. Every request answers 200,
# answers naming the same version carry the same outputs, and the clients
# see the swaps.
touch "$work/load.run"
$py - "$base" "$work/load.run" "$work/load.jsonl" <<'PY' &
import http.client, json, os, sys, threading, urllib.parse
base, running, out = sys.argv[1], sys.argv[2], sys.argv[3]
url = urllib.parse.urlparse(base)
body = json.dumps({"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]})
lines, lock = [], threading.Lock()
def client():
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    while os.path.exists(running):
        conn.request("POST", "/v2/models/clf/infer", body, {"Content-Type": "application/json"})
        r = conn.getresponse()
        data = r.read()
        answer = json.loads(data) if r.status == 200 else {"error": data.decode(errors="replace")}
        with lock:
            lines.append({"status": r.status, "version": answer.get("model_version"),
                          "outputs": answer.get("outputs"), "error": answer.get("error")})
threads = [threading.Thread(target=client) for _ in range(2)]
for t in threads: t.start()
for t in threads: t.join()
with open(out, "w") as f:
    for line in lines: f.write(json.dumps(line) + "\n")
PY
load_pid=$!
sleep 0.3
mkdir -p "$work/v4"; make_model classifier "$work/v4" 2; mv "$work/v4" "$repo/clf/4"
wait_index 'any(e.get("version") == "4" and e["state"] == "READY" for e in b)'
rm -rf "$repo/clf/2" "$repo/clf/3"
wait_index 'not any(e.get("version") in ("2", "3") and e["name"] == "clf" for e in b)'
mkdir -p "$work/v5"; make_model classifier "$work/v5" 3; mv "$work/v5" "$repo/clf/5"
wait_index 'any(e.get("version") == "5" and e["state"] == "READY" for e in b)'
sleep 0.3
rm "$work/load.run"
wait "$load_pid" || fail "the load client failed"
$py - "$work/load.jsonl" <<'PY' || fail "requests under reload"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
failed = [l for l in lines if l["status"] != 200]
assert not failed, f"{len(failed)} of {len(lines)} failed, first: {failed[0]}"
outputs = {}
for l in lines:
    assert outputs.setdefault(l["version"], l["outputs"]) == l["outputs"], l["version"]
assert {"4", "5"} <= set(outputs), sorted(outputs)
print(f"{len(lines)} requests during three reloads, all 200; versions seen: {sorted(outputs)}")
PY

# A broken config.yaml is reported and changes nothing.
printf 'max_batch_size: lots\n' > "$repo/clf/config.yaml"
wait_index 'any(e["name"] == "clf" and "max_batch_size" in e.get("reason", "") for e in b)'
post_json /v2/models/clf/infer "$x"; expect_code 200 "after a broken config"
stop_server
echo "PASS"
