#!/usr/bin/env bash
# The four MLPerf Tiny models on the four emulated boards (QEMU mps2-an386
# M4, mps2-an500 M7, mps2-an505 M33, mps3-an547 M55) with both engines,
# measured by `tierml profile` the way ../shared/baselines/tflm_cortex_m4.json
# measured TensorFlow Lite Micro with CMSIS-NN on the M4: -icount
# shift=7,sleep=off, executed instructions per invoke; flash = text + data of
# the whole firmware; RAM = data + bss (without the arena) + the arena + the
# stack high-water mark of the invoke. Prints each figure, its ratio to TFLM +
# CMSIS-NN (ratio < 1: tierml needs less; on the other cores the ratio
# compares cores too) and the issue's goals: instructions <= 0.5x, RAM <=
# 0.55x, runtime code (kernels + generated or interpreter code) <= 12 KB.
#
#   bench/cortex_m_bench.sh [TIERML] [SHARED_DIR] [--opt O2|Os]
#       [--targets "cortex-m4 ..."] [--engines "compiled interpreter"]
#       [--keep DIR]   (keep each profile's --json report in DIR)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tierml=${1:-$here/build/tierml}
shared=${2:-$here/../shared}
shift $(( $# > 2 ? 2 : $# )) || true
opt=O2
targets="cortex-m4 cortex-m7 cortex-m33 cortex-m55"
engines="compiled interpreter"
keep=
usage="usage: $0 [TIERML] [SHARED_DIR] [--opt O2|Os] [--targets \"T ...\"] [--engines \"E ...\"] [--keep DIR]"
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
  case $1 in
    --opt) opt=$2 ;;
    --targets) targets=$2 ;;
    --engines) engines=$2 ;;
    --keep) keep=$2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift 2
done
[ -x "$tierml" ] || { echo "no tierml at $tierml (build it, or pass its path)" >&2; exit 2; }
baseline=$shared/baselines/tflm_cortex_m4.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "$keep" ]; then mkdir -p "$keep"; work_out=$keep; else work_out=$work; fi

models=(tiny_kws_ref_model tiny_vww_96_int8 tiny_pretrainedResnet_quant tiny_ad01_int8)
for m in "${models[@]}"; do
  dir=$shared/golden/$m
  for t in $targets; do
    for e in $engines; do
      out=$work_out/$m.$t.$e
      echo "profiling $m on $t ($e engine)" >&2
      # A model that does not fit a board is a result, not a failure.
      if ! "$tierml" profile "$dir/model.tflite" --target "$t" --engine "$e" \
          --opt "$opt" --input "$dir/in_0.bin" --json > "$out.json" 2> "$out.err"; then
        rm -f "$out.json"
      fi
    done
  done
done

/usr/bin/python3 - "$baseline" "$work_out" "$opt" "$targets" "$engines" "${models[@]}" <<'PY'
import json, os, sys
baseline_path, work, opt, targets, engines, *models = sys.argv[1:]
base = json.load(open(baseline_path))["models"]
short = {"tiny_kws_ref_model": "KWS", "tiny_vww_96_int8": "VWW",
         "tiny_pretrainedResnet_quant": "IC", "tiny_ad01_int8": "AD"}
print(f"tierml profile --opt {opt} vs TFLM + CMSIS-NN on Cortex-M4 (QEMU mps2-an386), "
      f"{baseline_path}")
print("x = ratio to TFLM + CMSIS-NN; goals: instructions <= 0.5x, RAM <= 0.55x, "
      "runtime code <= 12 KB")
head = (f"{'model':5} {'board':10} {'engine':11} {'instructions':>12} {'x':>6} "
        f"{'MAC/ins':>7} {'flash':>9} {'x':>6} {'rt code':>8} {'arena':>8} "
        f"{'static':>7} {'stack':>6} {'RAM':>8} {'x':>6}  goals")
print(head)
print("-" * len(head))
failed = False
for m in models:
    cmsis = base[m]["tflm_cmsis_nn_kernels"]
    print(f"{short[m]:5} {'TFLM':10} {'CMSIS-NN':11} {cmsis['instructions_per_invoke']:>12,} "
          f"{'':>6} {base[m]['macs'] / cmsis['instructions_per_invoke']:>7.3f} "
          f"{cmsis['flash_bytes']:>9,} {'':>6} {'':>8} {cmsis['arena_used_bytes']:>8,} "
          f"{'':>7} {cmsis['stack_bytes']:>6,} {cmsis['ram_bytes']:>8,}")
    for t in targets.split():
        for e in engines.split():
            path = f"{work}/{m}.{t}.{e}"
            if not os.path.exists(path + ".json"):
                err = open(path + ".err").read().strip().splitlines()
                why = err[0] if err else "failed"
                if "does not fit" in why:
                    why = "does not fit the board's memory"
                else:
                    failed = True
                print(f"{short[m]:5} {t:10} {e:11} {why}")
                continue
            r = json.load(open(path + ".json"))
            if not r["output_matches_host"]:
                failed = True
            n, flash, ram = r["instructions_per_inference"], r["flash_bytes"], r["ram_bytes"]
            code = r["flash"]["runtime_code"]
            goals = []
            goals.append("ins ok" if n <= 0.5 * cmsis["instructions_per_invoke"] else "ins no")
            goals.append("ram ok" if ram <= 0.55 * cmsis["ram_bytes"] else "ram no")
            goals.append("code ok" if code <= 12 * 1024 else "code no")
            if not r["output_matches_host"]:
                goals.append("OUTPUT DIFFERS")
            print(f"{'':5} {t:10} {e:11} {n:>12,} {n / cmsis['instructions_per_invoke']:>6.3f} "
                  f"{r['macs_per_instruction']:>7.3f} {flash:>9,} {flash / cmsis['flash_bytes']:>6.3f} "
                  f"{code:>8,} {r['ram']['arena']:>8,} {r['ram']['static_data']:>7,} "
                  f"{r['ram']['stack']:>6,} {ram:>8,} {ram / cmsis['ram_bytes']:>6.3f}  "
                  + ", ".join(goals))
sys.exit(1 if failed else 0)
PY
