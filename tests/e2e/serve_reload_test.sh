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

# A broken config.yaml is reported and changes nothing.
printf 'max_batch_size: lots\n' > "$repo/clf/config.yaml"
wait_index 'any(e["name"] == "clf" and "max_batch_size" in e.get("reason", "") for e in b)'
post_json /v2/models/clf/infer "$x"; expect_code 200 "after a broken config"
stop_server
echo "PASS"
