#!/usr/bin/env bash
# Installs every Debian 12 package that the build, the tests and the demo need.
# Idempotent and non-interactive: packages already present are left alone.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  clang libclang-rt-14-dev                     # libFuzzer, ASan+UBSan
  libflatbuffers-dev flatbuffers-compiler      # .tflite reader/writer
  libcli11-dev libfmt-dev nlohmann-json3-dev   # CLI, formatting, JSON
  libgtest-dev libgmock-dev libbenchmark-dev   # tests and benchmarks
  gcc-arm-none-eabi libnewlib-arm-none-eabi    # embedded-clean check of runtime/
  libyaml-cpp-dev                              # scenario and catalog files
  chromium                                     # e2e check of the HTML report
  qemu-system-arm                              # Cortex-M measurements
  libmicrohttpd-dev curl wrk                   # inference server, its tests and load
  mosquitto libmosquitto-dev                   # hybrid tier over MQTT
  valgrind                                     # instruction counts in benchmarks
  python3 python3-numpy python3-scipy          # DSP reference checks
  python3-sklearn python3-fastapi python3-uvicorn  # exporter and baseline server
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
