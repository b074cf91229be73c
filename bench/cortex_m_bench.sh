#!/usr/bin/env bash
# The four MLPerf Tiny models on the emulated Cortex-M4 (QEMU mps2-an386),
# measured by `tierml profile` the way ../shared/baselines/tflm_cortex_m4.json
# measured TensorFlow Lite Micro: -icount shift=7,sleep=off, executed
# instructions per invoke; flash = text + data of the whole firmware (model,
# runtime, kernels, newlib, startup); RAM = data + bss (without the arena) +
# the arena the interpreter asks for + the stack high-water mark of the
# invoke. Prints each figure and its ratio to TFLM's reference kernels and to
# TFLM with CMSIS-NN (ratio < 1: tierml needs less).
#
#   bench/cortex_m_bench.sh [TIERML] [SHARED_DIR] [--opt O2|Os] [--target T]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tierml=${1:-$here/build/tierml}
shared=${2:-$here/../shared}
shift $(( $# > 2 ? 2 : $# )) || true
opt=O2
target=cortex-m4
while [ $# -gt 0 ]; do
  case $1 in
    --opt) opt=$2; shift 2 ;;
    --target) target=$2; shift 2 ;;
    *) echo "usage: $0 [TIERML] [SHARED_DIR] [--opt O2|Os] [--target T]" >&2; exit 2 ;;
  esac
done
[ -x "$tierml" ] || { echo "no tierml at $tierml (build it, or pass its path)" >&2; exit 2; }
baseline=$shared/baselines/tflm_cortex_m4.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

models=(tiny_kws_ref_model tiny_vww_96_int8 tiny_pretrainedResnet_quant tiny_ad01_int8)
for m in "${models[@]}"; do
  dir=$shared/golden/$m
  "$tierml" profile "$dir/model.tflite" --target "$target" --opt "$opt" \
    --input "$dir/in_0.bin" --json > "$work/$m.json"
done

/usr/bin/python3 - "$baseline" "$work" "$target" "$opt" "${models[@]}" <<'PY'
import json, sys
baseline_path, work, target, opt, *models = sys.argv[1:]
base = json.load(open(baseline_path))["models"]
print(f"tierml profile --target {target} --opt {opt} (interpreter engine) vs TFLM "
      f"on Cortex-M4 ({baseline_path})")
if target != "cortex-m4":
    print("note: the baseline is Cortex-M4; ratios for other cores compare cores too")
head = f"{'model':30} {'figure':13} {'tierml':>12} {'TFLM ref':>12} {'ratio':>7} {'TFLM CMSIS':>12} {'ratio':>7}"
print(head)
print("-" * len(head))
for m in models:
    r = json.load(open(f"{work}/{m}.json"))
    assert r["output_matches_host"], m + ": device output differs from host"
    ref = base[m]["tflm_reference_kernels"]
    cmsis = base[m]["tflm_cmsis_nn_kernels"]
    rows = [("instructions", r["instructions_per_inference"], "instructions_per_invoke"),
            ("flash bytes", r["flash_bytes"], "flash_bytes"),
            # TFLM's code_bytes is its flash without the model.
            ("code bytes", r["flash_bytes"] - r["flash"]["model"], "code_bytes"),
            ("arena bytes", r["ram"]["arena"], "arena_used_bytes"),
            ("stack bytes", r["ram"]["stack"], "stack_bytes"),
            ("ram bytes", r["ram_bytes"], "ram_bytes")]
    for i, (name, ours, key) in enumerate(rows):
        print(f"{m if i == 0 else '':30} {name:13} {ours:>12,} {ref[key]:>12,} "
              f"{ours / ref[key]:>7.3f} {cmsis[key]:>12,} {ours / cmsis[key]:>7.3f}")
    print(f"{'':30} {'MACs/instr':13} {r['macs_per_instruction']:>12.3f}")
PY
