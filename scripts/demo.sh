#!/usr/bin/env bash
# Builds tierml, writes the demo model with tierml's own .tflite writer,
# inspects it, runs it on three accelerometer samples with the interpreter,
# compiles it to plain C and checks the C gives the same bytes, and asks the
# advisor where a keyword-spotting tag should run.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== building tierml"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build -j"$(nproc)" tierml make_orientation_model >/dev/null

model=build/orientation.tflite
echo "== writing the demo model"
build/make_orientation_model "$model"

echo "== tierml inspect $model"
build/tierml inspect "$model"

classes=(+x -x +y -y +z -z)
# One int8 sample [x, y, z] in g at scale 1/64, written as raw bytes.
sample_bytes() { printf "$(printf '\\x%02x' $(( ($1 + 256) % 256 )) $(( ($2 + 256) % 256 )) $(( ($3 + 256) % 256 )))"; }

echo "== tierml run (probabilities per face up)"
for sample in "flat on the table:0:0:64" "standing on its left edge:-64:0:0" "tilted, mostly upside down:20:-12:-50"; do
  IFS=: read -r label x y z <<<"$sample"
  sample_bytes "$x" "$y" "$z" > build/demo_in.bin
  build/tierml run "$model" --input build/demo_in.bin --output build/demo_out.bin >/dev/null
  probabilities=$(od -An -v -tu1 build/demo_out.bin |
    awk '{for (i = 1; i <= NF; i++) printf "%.2f ", (($i >= 128 ? $i - 256 : $i) + 128) / 256}')
  best=$(awk '{m = 1; for (i = 2; i <= NF; i++) if ($i > $m) m = i; print m - 1}' <<<"$probabilities")
  printf '%-28s (x,y,z = %4s,%4s,%4s /64 g) -> %s   [%s]\n' "$label" "$x" "$y" "$z" \
    "${classes[$best]} up" "$(paste -d= <(printf '%s\n' "${classes[@]}") <(tr ' ' '\n' <<<"$probabilities" | grep .) | tr '\n' ' ')"
done

echo "== tierml compile (plain C99, const weights, one planned arena) and its host harness"
rm -rf build/orientation_c
build/tierml compile "$model" -o build/orientation_c --name orientation
make -s -C build/orientation_c >/dev/null
build/orientation_c/orientation_host build/demo_in.bin build/demo_out_c.bin
if cmp -s build/demo_out.bin build/demo_out_c.bin; then
  echo "the compiled C gives the interpreter's bytes for the last sample"
else
  echo "the compiled C and the interpreter disagree" >&2
  exit 1
fi

echo "== tierml advise examples/scenarios/coin_cell_keyword.yaml (first placements)"
build/tierml advise examples/scenarios/coin_cell_keyword.yaml | sed -n '1,18p'
