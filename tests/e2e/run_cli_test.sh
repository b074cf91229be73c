#!/usr/bin/env bash
# tierml run on published models: raw and .npy tensors in and out give TFLM's
# golden outputs byte for byte; bad inputs exit 2, bad models exit 3.
set -euo pipefail
tierml=$1
golden=$2/golden
if [ ! -d "$golden/tiny_kws_ref_model" ]; then
  echo "SKIP: no golden data at $golden"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
expect_exit() {  # code, then the command
  local want=$1; shift
  set +e; "$@" > "$work/stdout" 2> "$work/stderr"; local got=$?; set -e
  [ "$got" = "$want" ] || fail "$* exited $got, expected $want: $(cat "$work/stderr")"
}

kws=$golden/tiny_kws_ref_model
"$tierml" run "$kws/model.tflite" --input "$kws/in_3.bin" --output "$work/out.bin"
cmp -s "$work/out.bin" "$kws/out_3.bin" || fail "kws raw output differs"

# Two inputs: one file each, or one file with both back to back.
add=$golden/seanet_add0
"$tierml" run "$add/model.tflite" --input "$add/in_2.bin" --output "$work/add.bin"
cmp -s "$work/add.bin" "$add/out_2.bin" || fail "concatenated inputs"
head -c 640 "$add/in_2.bin" > "$work/a.bin"
tail -c 640 "$add/in_2.bin" > "$work/b.bin"
"$tierml" run "$add/model.tflite" --input "$work/a.bin" --input "$work/b.bin" \
  --output "$work/add2.bin"
cmp -s "$work/add2.bin" "$add/out_2.bin" || fail "one file per input"

"$tierml" run "$kws/model.tflite" --input "$kws/in_3.bin" --output "$work/o.bin" \
  --json > "$work/summary.json"
python3 - "$work/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["inputs"][0]["shape"] == [1, 49, 10, 1], s
assert s["inputs"][0]["dtype"] == "INT8", s
assert s["outputs"][0]["bytes"] == 12, s
assert s["arena_bytes"] > 0 and s["invoke_us"] > 0, s
# The host's packed weight copies come on top of what a device needs.
assert 0 < s["device_arena_bytes"] <= s["arena_bytes"], s
PY

expect_exit 2 "$tierml" run "$kws/model.tflite" --input "$add/in_2.bin" --output "$work/x.bin"
grep -q "expected 490 bytes" "$work/stderr" || fail "size error does not say what was expected"
expect_exit 2 "$tierml" run "$add/model.tflite" --input "$work/a.bin" --input "$work/b.bin" \
  --input "$work/b.bin" --output "$work/x.bin"
head -c 2000 "$kws/model.tflite" > "$work/cut.tflite"
expect_exit 3 "$tierml" run "$work/cut.tflite" --input "$kws/in_3.bin" --output "$work/x.bin"
expect_exit 2 "$tierml" run "$work/missing.tflite" --input "$kws/in_3.bin" --output "$work/x.bin"

# .npy in and out, checked by numpy itself when it is installed.
if python3 -c 'import numpy' 2>/dev/null; then
  python3 - "$kws/in_3.bin" "$work" <<'PY'
import numpy as np, sys
a = np.fromfile(sys.argv[1], dtype=np.int8).reshape(1, 49, 10, 1)
np.save(sys.argv[2] + "/in.npy", a)
np.save(sys.argv[2] + "/in_float.npy", a.astype(np.float32))
PY
  "$tierml" run "$kws/model.tflite" --input "$work/in.npy" --output "$work/out.npy"
  python3 - "$work/out.npy" "$kws/out_3.bin" <<'PY'
import numpy as np, sys
o = np.load(sys.argv[1])
assert o.dtype == np.int8 and o.shape == (1, 12), (o.dtype, o.shape)
assert o.tobytes() == open(sys.argv[2], "rb").read()
PY
  expect_exit 2 "$tierml" run "$kws/model.tflite" --input "$work/in_float.npy" --output "$work/x.npy"
  grep -q "expected INT8 \[1, 49, 10, 1\], got FLOAT32" "$work/stderr" || fail "npy dtype error"
else
  echo "note: numpy not installed, .npy checks skipped"
fi
echo "ok: tierml run"
