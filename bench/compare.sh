#!/usr/bin/env bash
# Times the GEMM shapes with Convolve (bench/Convolve.Bench), numpy.matmul and torch.mm, then the
# standard layers and the training steps of fashion-cnn, vgg-small and resnet-small with Convolve and
# PyTorch (bench/compare_layers.py, PyTorch's networks from tools/reference/make_zoo_reference.py),
# for 1 and 2 threads; a convolution row appears with Convolve's Auto choice and again per algorithm
# ("[im2col]", "[direct]", "[winograd]"), each against PyTorch's one row; and prints per row our median over theirs (GFLOP/s for GEMM: higher is
# better; ms for layers and training: lower is better). Takes several minutes.
# PyTorch runs at its strongest setting: ATEN_CPU_CAPABILITY=avx512 where the CPU has AVX-512 (Debian's
# build defaults to AVX2 kernels; on a CPU without AVX-512 that setting dies with "Illegal instruction").
# The passes part prints each convolution algorithm's forward, input-gradient and weight-gradient passes
# apart with GFLOP/s as a share of the measured FMA peak.
# Usage: bench/compare.sh [threads...]   (default: 1 2); COMPARE=layers,passes,train skips the GEMM part.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build bench/Convolve.Bench -c Release -v quiet -nologo >/dev/null
if grep -qw avx512f /proc/cpuinfo; then torch_env="env ATEN_CPU_CAPABILITY=avx512"; else torch_env="env -u ATEN_CPU_CAPABILITY"; fi
echo "# CPU: $(lscpu | sed -n 's/^Model name: *//p'); PyTorch run with: $torch_env"
# numpy and PyTorch's Linear (torch.mm) use the system BLAS: Debian's default is the reference BLAS
# (about 8 GFLOP/s), which would make the peers look slow. Install OpenBLAS to compare at their strongest.
if ! readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 | grep -q openblas; then
  echo "# WARNING: the system BLAS is not OpenBLAS ($(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)); apt-get install libopenblas0-pthread"
fi
echo "# system BLAS: $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
parts=${COMPARE:-gemm,layers,passes,train}
for threads in "${@:-1 2}"; do
  for t in $threads; do
    if [[ ,$parts, == *,gemm,* ]]; then
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
    fi
    if [[ ,$parts, == *,passes,* ]]; then
      # Each algorithm's three passes apart, GFLOP/s and share of the measured FMA peak (no peer row).
      dotnet run -c Release --no-build --project bench/Convolve.Bench -- passes --threads "$t"
    fi
    for run in layers train:fashion-cnn train:vgg-small train:resnet-small; do
      mode=${run%%:*}
      [[ ,$parts, == *,$mode,* ]] || continue
      extra=()
      [[ $run == *:* ]] && extra=(--model "${run#*:}")
      dotnet run -c Release --no-build --project bench/Convolve.Bench -- "$mode" --threads "$t" "${extra[@]}" | tee "$out/ours"
      $torch_env /usr/bin/python3 bench/compare_layers.py "$mode" --threads "$t" "${extra[@]}" | tee "$out/torch"
      echo "# ratio, $mode, threads $t: Convolve median over PyTorch's (ms: below 1 is faster; images/s: above 1 is faster)"
      printf '%-18s %-38s %10s %10s %8s\n' kind name convolve torch ratio
      awk -F '\t' 'FNR == 1 { file++ } $1 != "ROW" { next }
           { key = $2 SUBSEP $3; median[file, key] = $4; if (file == 1) { order[++rows] = key; kind[key] = $2; name[key] = $3 } }
           END { for (i = 1; i <= rows; i++) { k = order[i]; peer = k; sub(/ \[[a-z0-9]+\]$/, "", peer);
                 if (!((2, peer) in median)) continue; o = median[1, k]; t = median[2, peer];
                 printf "%-18s %-38s %10.3f %10.3f %8.2f\n", kind[k], name[k], o, t, (t > 0 ? o / t : 0) } }' \
          "$out/ours" "$out/torch"
    done
  done
done
