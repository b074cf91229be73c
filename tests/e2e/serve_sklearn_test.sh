#!/usr/bin/env bash
# The scikit-learn exporter: DESIGN.md's baseline pipeline exported to .tflite
# and served by tierml gives predict_proba within 1e-5 (and predict exactly)
# on the whole test split, through POST /predict.
set -euo pipefail
source "$(dirname "$0")/serve_lib.sh" "$1" "$2"
$py -c 'import sklearn, joblib' 2> /dev/null || { echo "SKIP: python3-sklearn missing"; exit 77; }
exporter=$(cd "$(dirname "$0")/../.." && pwd)/tools/export/sklearn_to_tflite.py

mkdir -p "$work/repo/baseline/1"
$py "$exporter" --train-baseline "$work/model.joblib" \
  "$work/repo/baseline/1/model.tflite" --tierml "$tierml" || fail "export"
"$tierml" inspect "$work/repo/baseline/1/model.tflite" > "$work/inspect.txt" || fail "inspect"
grep -q FULLY_CONNECTED "$work/inspect.txt" && grep -q LOGISTIC "$work/inspect.txt" \
  || fail "exported graph: $(cat "$work/inspect.txt")"
start_server "$work/repo"

$py - "$work/model.joblib" "$base" "$exporter" <<'PY' || fail "served model differs from scikit-learn"
import http.client, json, sys, urllib.parse
import importlib.util
import joblib
import numpy as np
spec = importlib.util.spec_from_file_location("exporter", sys.argv[3])
exporter = importlib.util.module_from_spec(spec)
spec.loader.exec_module(exporter)
model = joblib.load(sys.argv[1])
_, x_test, _ = exporter.baseline_pipeline()
expected = model.predict_proba(x_test)
url = urllib.parse.urlparse(sys.argv[2])
conn = http.client.HTTPConnection(url.hostname, url.port)
worst = 0.0
for row, want, label in zip(x_test, expected, model.predict(x_test)):
    conn.request("POST", "/predict", json.dumps({"x": row.tolist()}),
                 {"Content-Type": "application/json"})
    reply = conn.getresponse()
    body = json.loads(reply.read())
    assert reply.status == 200, body
    worst = max(worst, float(np.max(np.abs(np.asarray(body["proba"]) - want))))
    # Rows within float rounding of the boundary may flip; none in this split.
    assert body["pred"] == label, (row, body, want)
print(f"{len(x_test)} rows, largest |proba - predict_proba| = {worst:.2e}")
assert worst < 1e-5, worst
PY
stop_server
echo "PASS"
