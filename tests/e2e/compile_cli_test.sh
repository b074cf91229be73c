#!/usr/bin/env bash
# tierml compile on published models: the generated folder builds with its
# own Makefile (and CMakeLists.txt), the harness gives TFLM's golden outputs
# byte for byte, the generated C is clean under -std=c99 -Wall -Wextra
# -Werror -pedantic with gcc and clang and compiles with arm-none-eabi-gcc
# for Cortex-M4; --json and --explain report what they promise; bad usage
# exits 2, a bad model exits 3.
set -euo pipefail
tierml=$1
golden=$2/golden
if [ ! -d "$golden/tiny_kws_ref_model" ]; then
  echo "SKIP: no golden data at $golden"
  exit 77
fi
for tool in make cc g++; do
  command -v $tool > /dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
expect_exit() {  # code, then the command
  local want=$1; shift
  set +e; "$@" > "$work/stdout" 2> "$work/stderr"; local got=$?; set -e
  [ "$got" = "$want" ] || fail "$* exited $got, expected $want: $(cat "$work/stderr")"
}
strict="-std=c99 -Wall -Wextra -Werror -pedantic"

# check_model GOLDEN_NAME C_NAME: compile, build with make, run every input.
check_model() {
  local model=$golden/$1 name=$2 dir=$work/$2
  "$tierml" compile "$model/model.tflite" -o "$dir" --name "$name" \
    --target cortex-m4 > "$work/$name.txt"
  for f in "$name.h" "$name.c" "${name}_host.c" Makefile CMakeLists.txt; do
    [ -f "$dir/$f" ] || fail "$name: $f missing"
  done
  make -s -C "$dir" -j2 > "$work/$name.make" 2>&1 || fail "$name: make: $(cat "$work/$name.make")"
  local n=0
  for in in "$model"/in_*.bin; do
    local base=${in##*/in_}
    "$dir/${name}_host" "$in" "$work/out.bin" || fail "$name: harness failed on $in"
    cmp -s "$work/out.bin" "$model/out_$base" || fail "$name: output for in_$base differs"
    n=$((n + 1))
  done
  [ "$n" -gt 0 ] || fail "$name: no inputs"
  # C99 strictness of the generated files with every C compiler we have.
  for c in gcc clang; do
    if command -v $c > /dev/null; then
      $c $strict -I"$dir" -I"$dir/runtime/include" -I"$dir/runtime" \
        -c "$dir/$name.c" -o "$work/$name.$c.o" || fail "$name: $c $strict on $name.c"
      $c $strict -I"$dir" -c "$dir/${name}_host.c" -o "$work/${name}_host.$c.o" ||
        fail "$name: $c $strict on ${name}_host.c"
    else
      echo "note: $c not installed, its C99 check skipped"
    fi
  done
  # The target build: the model with -Werror, then the Makefile's library.
  if command -v arm-none-eabi-gcc > /dev/null; then
    arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb $strict -I"$dir" \
      -I"$dir/runtime/include" -I"$dir/runtime" -c "$dir/$name.c" \
      -o "$work/$name.m4.o" || fail "$name: arm-none-eabi-gcc on $name.c"
    make -s -C "$dir" lib > "$work/$name.lib" 2>&1 || fail "$name: make lib: $(cat "$work/$name.lib")"
    arm-none-eabi-nm "$dir/lib$name.a" > "$work/$name.nm"
    grep -q " T ${name}_invoke$" "$work/$name.nm" ||
      fail "$name: lib$name.a lacks ${name}_invoke"
  else
    echo "note: arm-none-eabi-gcc not installed, target build skipped"
  fi
  echo "ok: $1 ($n inputs)"
}

check_model tiny_kws_ref_model kws
# Stateful (SVDF state, int16 input, int32 output).
check_model tflm_keyword_scrambled keyword
grep -q "keyword_init" "$work/keyword/keyword.h" || fail "stateful model lacks keyword_init"
# Two inputs.
check_model seanet_add0 add0

# The CMake project builds the same harness.
if command -v cmake > /dev/null; then
  cmake -S "$work/kws" -B "$work/kws_cmake" > /dev/null 2>&1 || fail "cmake configure"
  cmake --build "$work/kws_cmake" -j2 > "$work/cmake.log" 2>&1 || fail "cmake build: $(cat "$work/cmake.log")"
  "$work/kws_cmake/kws_host" "$golden/tiny_kws_ref_model/in_0.bin" "$work/o.bin"
  cmp -s "$work/o.bin" "$golden/tiny_kws_ref_model/out_0.bin" || fail "cmake harness output"
fi

# --json: arena and constants, per-layer memory and MACs.
"$tierml" compile "$golden/tiny_kws_ref_model/model.tflite" -o "$work/j" --json \
  --explain > "$work/summary.json"
/usr/bin/python3 - "$work/summary.json" "$work/j" <<'PY'
import json, os, sys
s = json.load(open(sys.argv[1]))
assert s["name"] == "model", s["name"]
assert 0 < s["arena_bytes"] <= 24000, s["arena_bytes"]
assert 0 < s["constant_bytes"] < s["model_file_bytes"], s
assert len(s["layers"]) == 13, len(s["layers"])
assert sum(l["macs"] for l in s["layers"]) == s["macs"] > 0
assert all("live_arena_bytes" in l and "constant_bytes" in l for l in s["layers"])
assert s["plan"]["arena_bytes"] == s["arena_bytes"]
assert os.path.exists(os.path.join(sys.argv[2], "model_memory.svg"))
PY
"$tierml" compile "$golden/tiny_kws_ref_model/model.tflite" -o "$work/e" --explain > "$work/explain.txt"
grep -q "peak" "$work/explain.txt" || fail "--explain prints no plan"

# Errors.
expect_exit 2 "$tierml" compile "$golden/tiny_kws_ref_model/model.tflite" -o "$work/x" --target cortex-a53
expect_exit 2 "$tierml" compile "$golden/tiny_kws_ref_model/model.tflite" -o "$work/x" --name "9bad name"
touch "$work/a_file"
expect_exit 2 "$tierml" compile "$golden/tiny_kws_ref_model/model.tflite" -o "$work/a_file/sub"
grep -q "folder you can write to" "$work/stderr" || fail "unwritable DIR message: $(cat "$work/stderr")"
head -c 2000 "$golden/tiny_kws_ref_model/model.tflite" > "$work/cut.tflite"
expect_exit 3 "$tierml" compile "$work/cut.tflite" -o "$work/x"
expect_exit 2 "$tierml" compile "$work/missing.tflite" -o "$work/x"
echo "ok: tierml compile"
