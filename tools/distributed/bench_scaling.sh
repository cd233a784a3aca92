#!/usr/bin/env bash
# Measures data-parallel scaling on this machine (docs/BENCHMARKS.md, "Data-parallel training"):
# for each model, training images per second in the second epoch (the first warms the JIT up) of
#   one process, one thread;  mpirun -np 2 --distributed, one thread per rank;  one process, two threads
# on the first N Fashion-MNIST images, with the exchange time per step of the distributed run.
# Usage: bench_scaling.sh [N] [models...]   (default 12800 images, fashion-cnn resnet-small)
set -euo pipefail
cd "$(dirname "$0")/../.."
limit=${1:-12800}
shift || true
if [ $# -gt 0 ]; then models=("$@"); else models=(fashion-cnn resnet-small); fi
cli=(dotnet "$PWD/src/Convolve.Cli/bin/Release/net10.0/Convolve.Cli.dll")
mpi=(mpirun --allow-run-as-root --oversubscribe --mca btl self,tcp)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "load before: $(uptime)"
rate() { grep -E "^epoch 2:" "$1" | sed -E 's/.*  ([0-9,]+) img\/s.*/\1/' | tr -d ,; }
printf '%-13s %-28s %8s  %s\n' model run "img/s" "exchange"
for model in "${models[@]}"; do
  common=(train --model "$model" --limit "$limit" --epochs 2 --batch-size 64 --seed 1)
  "${cli[@]}" "${common[@]}" --threads 1 -o "$work/a" --overwrite > "$work/one.log"
  "${mpi[@]}" -np 2 "${cli[@]}" "${common[@]}" --distributed --threads 1 -o "$work/b" --overwrite > "$work/two.log"
  "${cli[@]}" "${common[@]}" --threads 2 -o "$work/c" --overwrite > "$work/threads.log"
  one=$(rate "$work/one.log"); two=$(rate "$work/two.log"); threads=$(rate "$work/threads.log")
  exchange=$(grep "^data-parallel: 2 ranks," "$work/two.log" | sed -E 's/.*took (.*)/\1/')
  printf '%-13s %-28s %8s\n' "$model" "1 process, 1 thread" "$one"
  printf '%-13s %-28s %8s  %s\n' "$model" "2 ranks, 1 thread each" "$two" "$exchange"
  printf '%-13s %-28s %8s\n' "$model" "1 process, 2 threads" "$threads"
  awk -v one="$one" -v two="$two" -v threads="$threads" 'BEGIN { printf "%-13s efficiency: 2 ranks %.0f %%, 2 threads %.0f %% (of twice one thread)\n", "", 100 * two / (2 * one), 100 * threads / (2 * one) }'
done
echo "load after: $(uptime)"
