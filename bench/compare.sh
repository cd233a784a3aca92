#!/usr/bin/env bash
# Times the GEMM shapes with Convolve (bench/Convolve.Bench), numpy.matmul and torch.mm for 1 and
# 2 threads and prints, per row, our median GFLOP/s over theirs. Takes a few minutes.
# Usage: bench/compare.sh [threads...]   (default: 1 2)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build bench/Convolve.Bench -c Release -v quiet -nologo >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for threads in "${@:-1 2}"; do
  for t in $threads; do
    dotnet run -c Release --no-build --project bench/Convolve.Bench -- gemm --threads "$t" | tee "$out/ours"
    env -u OPENBLAS_CORETYPE /usr/bin/python3 bench/compare_gemm.py --threads "$t" --library numpy | tee "$out/numpy"
    env -u OPENBLAS_CORETYPE /usr/bin/python3 bench/compare_gemm.py --threads "$t" --library torch | tee "$out/torch"
    echo "# ratio, threads $t: Convolve median GFLOP/s over numpy's and torch's"
    printf '%-26s %8s %8s %8s %8s %8s\n' shape convolve numpy torch /numpy /torch
    awk 'FNR == 1 { file++ } /^#|^shape/ { next }
         { median[file, $1] = $5; if (file == 1) order[++rows] = $1 }
         END { for (i = 1; i <= rows; i++) { s = order[i]; o = median[1, s]; n = median[2, s]; t = median[3, s];
               printf "%-26s %8.1f %8.1f %8.1f %8.2f %8.2f\n", s, o, n, t, (n > 0 ? o / n : 0), (t > 0 ? o / t : 0) } }' \
        "$out/ours" "$out/numpy" "$out/torch"
  done
done
