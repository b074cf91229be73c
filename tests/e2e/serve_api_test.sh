#!/usr/bin/env bash
# tierml serve, protocol conformance: health, server and model metadata,
# JSON and binary inference checked against outputs computed here, /predict,
# token-protected repository management, metrics that move with traffic, and
# a corpus of malformed requests that must each get a 4xx JSON error.
set -euo pipefail
source "$(dirname "$0")/serve_lib.sh" "$1" "$2"

repo=$work/repo
make_model classifier "$repo/classifier/1"
make_model orientation "$repo/orientation/1"
printf 'max_batch_size: 4\nmax_queue_delay_us: 500\nqueue_limit: 32\n' \
  > "$repo/classifier/config.yaml"
echo "s3cret-token" > "$work/token"
start_server "$repo" --admin-token-file "$work/token" --max-body-bytes 65536 \
  --threads 2 --predict-model classifier

# --- health and metadata -----------------------------------------------------
req GET /v2/health/live; expect_code 200 live; check 'b == {"live": True}'
req GET /v2/health/ready; expect_code 200 ready; check 'b["ready"] is True'
req GET /v2; expect_code 200 server
check 'b["name"] == "tierml" and "binary_tensor_data" in b["extensions"] and b["version"]'
for path in /v2/models/classifier /v2/models/classifier/versions/1; do
  req GET $path; expect_code 200 "metadata $path"
  check 'b["name"] == "classifier" and b["versions"] == ["1"] and b["platform"] == "tflite"'
  check 'b["inputs"] == [{"name": "x", "datatype": "FP32", "shape": [1, 4]}]'
  check 'b["outputs"] == [{"name": "probs", "datatype": "FP32", "shape": [1, 3]}]'
done
req GET /v2/models/orientation; expect_code 200 "int8 metadata"
check 'b["inputs"][0]["datatype"] == "INT8" and abs(b["inputs"][0]["parameters"]["scale"] - 1/64) < 1e-9'
req GET /v2/models/classifier/ready; expect_code 200 "model ready"; check 'b["ready"] is True'
req GET /v2/models/classifier/versions/1/ready; expect_code 200 "version ready"
req GET /v2/models/nosuch; expect_code 404 "unknown model"; check '"nosuch" in b["error"]'
req GET /v2/models/nosuch/ready; expect_code 404 "unknown model ready"
req GET /v2/models/classifier/versions/7; expect_code 404 "unknown version"; check '"version 7" in b["error"]'
req GET /v2/models/classifier/versions/abc/ready; expect_code 404 "bad version"

# --- JSON inference, against the model's arithmetic done here ---------------
expected_probs='__import__("math") and (lambda x: (lambda l: [__import__("math").exp(v - max(l)) / sum(__import__("math").exp(u - max(l)) for u in l) for v in l])([sum((i - j) / 4 * x[j] for j in range(4)) + 0.1 * i for i in range(3)]))'
post_json /v2/models/classifier/infer \
  '{"id": "req-42", "inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}'
expect_code 200 "infer"
check 'b["id"] == "req-42" and b["model_name"] == "classifier" and b["model_version"] == "1"'
check 'b["outputs"][0]["name"] == "probs" and b["outputs"][0]["shape"] == [1, 3] and b["outputs"][0]["datatype"] == "FP32"'
check "all(abs(a - e) < 1e-6 for a, e in zip(b['outputs'][0]['data'], ($expected_probs)([1, 2, 3, 4])))"
cp "$work/body" "$work/flat.json"
post_json /v2/models/classifier/versions/1/infer \
  '{"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [[1.0, 2.0, 3.0, 4.0]]}]}'
expect_code 200 "nested data"
check 'b["outputs"] == json.load(open(sys.argv[1].replace("body", "flat.json")))["outputs"] and "id" not in b'

# Quantized model: INT8 as-is, and FP32 quantized with scale 1/64.
post_json /v2/models/orientation/infer \
  '{"inputs": [{"name": "acceleration_g", "shape": [1, 3], "datatype": "INT8", "data": [5, -10, 60]}]}'
expect_code 200 "int8 infer"; cp "$work/body" "$work/int8.json"
check 'b["outputs"][0]["datatype"] == "INT8" and max(range(6), key=lambda i: b["outputs"][0]["data"][i]) == 4'
# The float reference of the demo model: scores 4*p_i - 0.5*sum(others).
check '(lambda a: (lambda p: (lambda s: all(abs((q + 128) / 256 - __import__("math").exp(si - max(s)) / sum(__import__("math").exp(t - max(s)) for t in s)) < 3 / 256 for q, si in zip(b["outputs"][0]["data"], s)))([4 * p[i] - 0.5 * (sum(p) - p[i]) for i in range(6)]))([max(0, a[k // 2] * (-1 if k % 2 else 1)) for k in range(6)]))([5 / 64, -10 / 64, 60 / 64])'
post_json /v2/models/orientation/infer \
  '{"inputs": [{"name": "acceleration_g", "shape": [1, 3], "datatype": "FP32", "data": [0.078125, -0.15625, 0.9375]}]}'
expect_code 200 "fp32 into int8"
check 'b["outputs"] == json.load(open(sys.argv[1].replace("body", "int8.json")))["outputs"]'

# --- binary tensor extension --------------------------------------------------
$py - "$work/request" <<'PY'
import json, struct, sys
header = json.dumps({"id": "bin", "inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32",
          "parameters": {"binary_data_size": 16}}],
          "outputs": [{"name": "probs", "parameters": {"binary_data": True}}]}).encode()
open(sys.argv[1], "wb").write(header + struct.pack("<4f", 1, 2, 3, 4))
open(sys.argv[1] + ".len", "w").write(str(len(header)))
PY
req POST /v2/models/classifier/infer -H "Inference-Header-Content-Length: $(cat "$work/request.len")" \
  -H 'Content-Type: application/octet-stream' --data-binary "@$work/request"
expect_code 200 "binary infer"
$py - "$work/body" "$work/headers" "$work/flat.json" <<'PY' || fail "binary response"
import json, struct, sys
body = open(sys.argv[1], "rb").read()
headers = {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip()
           for l in open(sys.argv[2]).read().splitlines() if ":" in l}
n = int(headers["inference-header-content-length"])
head = json.loads(body[:n])
out = head["outputs"][0]
assert out["parameters"]["binary_data_size"] == 12 and "data" not in out, head
assert head["id"] == "bin"
values = struct.unpack("<3f", body[n:])
flat = json.load(open(sys.argv[3]))["outputs"][0]["data"]
# JSON carries each float32 exactly: the two encodings must agree bit for bit.
assert list(values) == [struct.unpack("<f", struct.pack("<f", v))[0] for v in flat], (values, flat)
PY

# --- /predict ------------------------------------------------------------------
post_json /predict '{"x": [1, 2, 3, 4]}'
expect_code 200 predict
check 'b["pred"] == max(range(3), key=lambda i: b["proba"][i]) and len(b["proba"]) == 3'
check 'b["proba"] == json.load(open(sys.argv[1].replace("body", "flat.json")))["outputs"][0]["data"]'
post_json /predict '{"x": [1, 2, 3]}'; expect_code 400 "predict with 3 values"
check '"4 numbers" in b["error"]'

# --- metrics move with traffic ---------------------------------------------------
labels='model="classifier",version="1"'
ok_before=$(metric "tierml_inference_requests_total{$labels,status=\"success\"}")
bad_before=$(metric "tierml_inference_requests_total{$labels,status=\"failure\"}")
compute_before=$(metric "tierml_compute_duration_seconds_count{$labels}")
for _ in 1 2 3; do
  post_json /v2/models/classifier/infer \
    '{"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [0, 0, 0, 1]}]}'
  expect_code 200 "metrics traffic"
done
post_json /v2/models/classifier/infer '{"inputs": []}'; expect_code 400 "missing input"
[ "$(metric "tierml_inference_requests_total{$labels,status=\"success\"}")" = $((ok_before + 3)) ] \
  || fail "success counter did not move by 3"
[ "$(metric "tierml_inference_requests_total{$labels,status=\"failure\"}")" = $((bad_before + 1)) ] \
  || fail "failure counter did not move by 1"
[ "$(metric "tierml_compute_duration_seconds_count{$labels}")" = $((compute_before + 3)) ] \
  || fail "compute histogram did not count 3 invokes"
[ "$(metric "tierml_queue_depth{$labels}")" = 0 ] || fail "queue depth of an idle model"
curl -s "$base/metrics" > "$work/metrics"
grep -q "^tierml_queue_duration_seconds_bucket{$labels,le=\"+Inf\"} " "$work/metrics" \
  || fail "queue histogram missing"
grep -q "^tierml_batch_size_count{$labels} " "$work/metrics" || fail "batch histogram missing"

# --- repository management behind the token --------------------------------------
req POST /v2/repository/index -d ''; expect_code 401 "index without token"; check '"token" in b["error"]'
grep -qi '^WWW-Authenticate: Bearer' "$work/headers" || fail "401 without WWW-Authenticate"
req POST /v2/repository/index -d '' -H 'Authorization: Bearer wrong'; expect_code 401 "wrong token"
req POST /v2/repository/models/classifier/unload -d '' -H 'Authorization: Bearer s3cret-tokeN'
expect_code 401 "unload with a wrong token"
auth=(-H 'Authorization: Bearer s3cret-token')
req POST /v2/repository/index -d '' "${auth[@]}"; expect_code 200 index
check '{"name": "classifier", "version": "1", "state": "READY"} in b and any(e["name"] == "orientation" for e in b)'
req POST /v2/repository/models/classifier/unload -d '' "${auth[@]}"; expect_code 200 unload
post_json /v2/models/classifier/infer \
  '{"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}'
expect_code 404 "infer on an unloaded model"; check '"unloaded" in b["error"]'
req POST /v2/repository/index -d '' "${auth[@]}"; check '{"name": "classifier", "state": "UNAVAILABLE", "reason": "unloaded"} in b'
req POST /v2/repository/models/classifier/load -d '' "${auth[@]}"; expect_code 200 load
post_json /v2/models/classifier/infer \
  '{"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}'
expect_code 200 "infer after load"
check 'b["outputs"] == json.load(open(sys.argv[1].replace("body", "flat.json")))["outputs"]'
req POST /v2/repository/models/nosuch/load -d '' "${auth[@]}"; expect_code 404 "load unknown model"

# --- the malformed-request corpus: 4xx JSON errors, never a crash ------------------
x='"name": "x", "shape": [1, 4], "datatype": "FP32"'
a='"name": "acceleration_g", "shape": [1, 3]'
corpus=(
  "classifier|400|malformed JSON|{\"inputs\": [{$x, \"data\": [1, 2, 3, 4]}"
  "classifier|400|malformed JSON|"
  "classifier|400|malformed JSON|not json at all"
  "classifier|400|JSON object|[1, 2, 3]"
  "classifier|400|'inputs'|{}"
  "classifier|400|'inputs'|{\"inputs\": {\"x\": 1}}"
  "classifier|400|is missing|{\"inputs\": []}"
  "classifier|400|must be an object|{\"inputs\": [7]}"
  "classifier|400|no 'name'|{\"inputs\": [{\"shape\": [1, 4]}]}"
  "classifier|400|not an input|{\"inputs\": [{\"name\": \"y\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}"
  "classifier|400|twice|{\"inputs\": [{$x, \"data\": [1, 2, 3, 4]}, {$x, \"data\": [1, 2, 3, 4]}]}"
  "classifier|400|does not match|{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"INT32\", \"data\": [1, 2, 3, 4]}]}"
  "classifier|400|unknown datatype|{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP8\", \"data\": [1, 2, 3, 4]}]}"
  "classifier|400|'datatype'|{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]}]}"
  "classifier|400|shape [1, 5]|{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 5], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4, 5]}]}"
  "classifier|400|non-negative|{\"inputs\": [{\"name\": \"x\", \"shape\": [1, -4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}"
  "classifier|400|'shape' is missing|{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}"
  "classifier|400|holds 3 elements|{\"inputs\": [{$x, \"data\": [1, 2, 3]}]}"
  "classifier|400|not a valid FP32|{\"inputs\": [{$x, \"data\": [1, 2, \"3\", 4]}]}"
  "classifier|400|not a valid FP32|{\"inputs\": [{$x, \"data\": [1, 2, null, 4]}]}"
  "classifier|400|not a valid FP32|{\"inputs\": [{$x, \"data\": [1, 2, 1e39, 4]}]}"
  "classifier|400|'data' must be an array|{\"inputs\": [{$x, \"data\": 5}]}"
  "classifier|400|nested deeper|{\"inputs\": [{$x, \"data\": [[[[[[[[[1]]]]]]]]]}]}"
  "classifier|400|neither|{\"inputs\": [{$x}]}"
  "classifier|400|both|{\"inputs\": [{$x, \"data\": [1, 2, 3, 4], \"parameters\": {\"binary_data_size\": 16}}]}"
  "classifier|400|past the end|{\"inputs\": [{$x, \"parameters\": {\"binary_data_size\": 16}}]}"
  "classifier|400|'id'|{\"id\": 5, \"inputs\": [{$x, \"data\": [1, 2, 3, 4]}]}"
  "classifier|400|not an output|{\"inputs\": [{$x, \"data\": [1, 2, 3, 4]}], \"outputs\": [{\"name\": \"zz\"}]}"
  "classifier|400|parameters.timeout|{\"parameters\": {\"timeout\": -1}, \"inputs\": [{$x, \"data\": [1, 2, 3, 4]}]}"
  "classifier|400|binary_data|{\"inputs\": [{$x, \"data\": [1, 2, 3, 4]}], \"outputs\": [{\"name\": \"probs\", \"parameters\": {\"binary_data\": \"yes\"}}]}"
  "orientation|400|not a valid INT8|{\"inputs\": [{$a, \"datatype\": \"INT8\", \"data\": [300, 0, 0]}]}"
  "orientation|400|not a valid INT8|{\"inputs\": [{$a, \"datatype\": \"INT8\", \"data\": [1.5, 0, 0]}]}"
  "orientation|400|or FP32|{\"inputs\": [{$a, \"datatype\": \"FP64\", \"data\": [1, 0, 0]}]}"
  "nosuch|404|unknown model|{\"inputs\": []}"
)
for entry in "${corpus[@]}"; do
  IFS='|' read -r model want text body <<< "$entry"
  post_json "/v2/models/$model/infer" "$body"
  [ "$code" = "$want" ] || fail "corpus '$body': HTTP $code, expected $want: $(cat "$work/body")"
  $py - "$work/body" "$text" <<'PY' || fail "corpus '$body': error does not say '$text': $(cat "$work/body")"
import json, sys
b = json.load(open(sys.argv[1]))
assert set(b) == {"error"} and sys.argv[2] in b["error"], b
PY
done
# Binary-framing errors and transport-level ones.
printf '{"inputs": []}' > "$work/request"
req POST /v2/models/classifier/infer -H 'Inference-Header-Content-Length: 999' --data-binary "@$work/request"
expect_code 400 "header length beyond the body"; check '"exceeds" in b["error"]'
req POST /v2/models/classifier/infer -H 'Inference-Header-Content-Length: ten' --data-binary "@$work/request"
expect_code 400 "header length not a number"
head -c 70000 /dev/zero | tr '\0' ' ' > "$work/big"
req POST /v2/models/classifier/infer --data-binary "@$work/big"
expect_code 413 "oversized body"; check '"65536" in b["error"]'
printf '\xff\xfe{"inputs"' > "$work/noise"
req POST /v2/models/classifier/infer --data-binary "@$work/noise"
expect_code 400 "invalid UTF-8 outside strings"; check '"malformed JSON" in b["error"]'
printf '{"id": "\xc3\x28", "inputs": []}' > "$work/noise"
req POST /v2/models/classifier/infer --data-binary "@$work/noise"
expect_code 400 "invalid UTF-8 in a string"; check '"malformed JSON" in b["error"]'
head -c 3000 /dev/urandom > "$work/noise"
req POST /v2/models/classifier/infer --data-binary "@$work/noise"
expect_code 400 "random bytes"; check '"malformed JSON" in b["error"]'
req GET /v2/models/classifier/infer; expect_code 404 "GET on infer"; check '"no route" in b["error"]'
req GET /v3/nothing; expect_code 404 "unknown route"; check '"error" in b'
req GET /v2/health/live; expect_code 200 "alive after the corpus"

# --- a burst of new connections ------------------------------------------------
# 200 connects at once all complete at the first try: the listen backlog takes
# them (with a backlog of 5 the kernel drops SYNs, which clients retry only
# after a second).
$py - "$base" <<'PY' || fail "a burst of 200 connects"
import selectors, socket, sys, time, urllib.parse
url = urllib.parse.urlparse(sys.argv[1])
sel = selectors.DefaultSelector()
start = time.monotonic()
for _ in range(200):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex((url.hostname, url.port))
    sel.register(s, selectors.EVENT_WRITE)
pending = 200
while pending and time.monotonic() - start < 0.9:
    for key, _ in sel.select(timeout=0.05):
        assert key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
        sel.unregister(key.fileobj)
        key.fileobj.close()
        pending -= 1
assert pending == 0, f"{pending} of 200 connects still waiting after 0.9 s"
PY
req GET /v2/health/live; expect_code 200 "alive after the burst"

stop_server
grep -q "drained" "$work/server.err" || fail "no drain message"
echo "PASS"
