#!/usr/bin/env bash
# tierml advise --html writes a page whose three charts headless Chromium
# lays out and draws (the page marks data-charts-rendered once it has
# measured every chart), and --json agrees with the text recommendation.
set -euo pipefail
tierml=$1
scenarios=$2
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "SKIP: chromium not installed (scripts/install-deps.sh installs it)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for scenario in "$scenarios"/*.yaml; do
  name=$(basename "$scenario" .yaml)
  "$tierml" advise "$scenario" --html "$work/$name.html" --json > "$work/$name.json"
  recommendation=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["recommendation"])' "$work/$name.json")
  text=$("$tierml" advise "$scenario")
  grep -q "^recommendation: $recommendation$" <<<"$text" || {
    echo "FAIL $name: text and JSON disagree"; exit 1; }
  dom=$("$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$work/profile" --virtual-time-budget=5000 \
        --dump-dom "file://$work/$name.html" 2>/dev/null)
  if ! grep -q 'data-charts-rendered="3"' <<<"$dom"; then
    echo "FAIL $name: charts not rendered ($(grep -o 'data-charts-rendered="[0-9]*"' <<<"$dom" || echo 'no mark'))"
    exit 1
  fi
  echo "ok $name: $recommendation, 3 charts rendered"
done
