#!/usr/bin/env bash
# Renders a training report (report.html) in headless Chromium, saves a screenshot, and checks in
# the DOM that Chromium built that the loss and accuracy curves (inline SVG) and the tables
# (per-class accuracy, confusion matrix, misclassified examples, recipe, timing) are there.
#
# Usage: tools/report/check_report.sh [RUN_DIR [SCREENSHOT.png]]
#   RUN_DIR     a folder written by 'convolve train' (default: a 2-epoch lenet5 run on 1,000 images of
#               the bundled sample, in a temporary folder); 'convolve report' rebuilds its report first
#   SCREENSHOT  where to save the screenshot (default: a temporary file, deleted)
# Needs Debian's chromium (apt-get install -y chromium) and python3; exits 0 when every check passes.
set -euo pipefail
cd "$(dirname "$0")/../.."
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium" ]; then
  echo "check_report: chromium not found; install it with: apt-get install -y chromium" >&2
  exit 2
fi
cli=(dotnet src/Convolve.Cli/bin/Release/net10.0/Convolve.Cli.dll)
[ -f "${cli[1]}" ] || dotnet build src/Convolve.Cli -c Release > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run=${1:-}
if [ -z "$run" ]; then
  run="$work/run"
  "${cli[@]}" train --model lenet5 --data data/fashion-mnist-sample --epochs 2 --limit 1000 --threads 2 --output "$run" > "$work/train.log"
fi
"${cli[@]}" report "$run" --overwrite > "$work/report.log"   # train wrote one already
screenshot=${2:-$work/report.png}
page="file://$(cd "$run" && pwd)/report.html"
# A fresh profile, and no background networking: the machine's network is closed.
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-quic --no-first-run
       --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$work/profile")
timeout 120 "$chromium" "${flags[@]}" --dump-dom "$page" > "$work/dom.html" 2> "$work/chromium-dom.log"
timeout 120 "$chromium" "${flags[@]}" --window-size=1280,2700 --screenshot="$screenshot" "$page" 2> "$work/chromium-shot.log"
/usr/bin/python3 tools/report/check_dom.py "$work/dom.html" "$screenshot"
