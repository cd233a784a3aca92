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
# apart with GFLOP/s as a share of the measured FMA peak. The infer part runs every zoo model in evaluation
# mode (1x28x28; 3x32x32 for vgg-small and resnet-small) at batch 1 and 64 with Convolve's compiled plan,
# ONNX Runtime 1.31.1 and PyTorch's inference_mode, images/s and the worst relative difference of the outputs.
# The train224 part (issue 19; off by default, about 4 minutes per thread count) times a training step of resnet18
# and mobilenet-v2 on 3x224x224 images, batch 16, 1000 classes, beside torchvision's models.
# Usage: bench/compare.sh [threads...]   (default: 1 2); COMPARE=layers,passes,train,infer skips the GEMM part,
# COMPARE=infer runs only the inference comparison, COMPARE=train224 only the 224x224 training steps.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build bench/Convolve.Bench -c Release -v quiet -nologo >/dev/null
if grep -qw avx512f /proc/cpuinfo; then torch_env="env ATEN_CPU_CAPABILITY=avx512"; else torch_env="env -u ATEN_CPU_CAPABILITY"; fi
# Debian's PyTorch 1.13 is built without oneDNN (torch.__config__.show() names no mkldnn): its convolutions are
# im2col + the system BLAS's sgemm, so OpenBLAS's kernel choice decides its speed. This VM sets
# OPENBLAS_CORETYPE=Haswell (AVX2 kernels); where OpenBLAS detects the CPU right its own choice can be faster,
# where it misdetects the forced one is. Time a 1024² torch.mm both ways and run PyTorch with the faster.
if [[ -n ${OPENBLAS_CORETYPE:-} ]]; then
  probe='import time, torch; torch.set_num_threads(1); a = torch.randn(1024, 1024); [torch.mm(a, a) for _ in range(3)]; t = time.perf_counter(); [torch.mm(a, a) for _ in range(10)]; print(time.perf_counter() - t)'
  forced=$(/usr/bin/python3 -c "$probe"); detected=$(env -u OPENBLAS_CORETYPE /usr/bin/python3 -c "$probe")
  echo "# torch.mm 1024², 10 runs: OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE ${forced} s, OpenBLAS's own detection ${detected} s"
  if awk -v f="$forced" -v d="$detected" 'BEGIN { exit !(d < f) }'; then torch_env="env -u OPENBLAS_CORETYPE ${torch_env#env }"; fi
fi
# glibc returns every freed block above 128 KB to the system and maps it afresh on the next call, so PyTorch
# pays a page fault per 4 KB of every large tensor (about 10 us each on the development VM: a depthwise layer of
# 16x144x56x56 ran 254 ms instead of 8.8 ms). Keep freed memory in the heap instead, as Convolve reuses its buffers.
torch_env="$torch_env MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=68719476736 MALLOC_TOP_PAD_=268435456"
echo "# CPU: $(lscpu | sed -n 's/^Model name: *//p'); PyTorch run with: $torch_env"
# numpy and PyTorch's Linear (torch.mm) use the system BLAS: Debian's default is the reference BLAS
# (about 8 GFLOP/s), which would make the peers look slow. Install OpenBLAS to compare at their strongest.
if ! readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 | grep -q openblas; then
  echo "# WARNING: the system BLAS is not OpenBLAS ($(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)); apt-get install libopenblas0-pthread"
fi
echo "# system BLAS: $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
parts=${COMPARE:-gemm,layers,passes,train,infer}
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
    for run in layers train:fashion-cnn train:vgg-small train:resnet-small train224:resnet18 train224:mobilenet-v2; do
      part=${run%%:*}
      [[ ,$parts, == *,$part,* ]] || continue
      mode=${part%224}
      extra=()
      [[ $run == *:* ]] && extra=(--model "${run#*:}")
      [[ $part == train224 ]] && extra+=(--size 224 --batch 16 --runs 20)
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
    if [[ ,$parts, == *,infer,* ]]; then
      # Inference: every zoo model in evaluation mode (random weights and batch-normalisation statistics),
      # Convolve's compiled plan beside ONNX Runtime (the exported model, ORT_ENABLE_ALL, same threads, in the
      # bench process) and PyTorch's torch.inference_mode() on the same weights and inputs.
      rm -rf "$out/infer"
      dotnet run -c Release --no-build --project bench/Convolve.Bench -- infer --threads "$t" --ort --save "$out/infer" | tee "$out/ours"
      OPENBLAS_NUM_THREADS="$t" $torch_env /usr/bin/python3 bench/compare_infer.py --dir "$out/infer" --threads "$t" | tee "$out/torch"
      echo "# ratio, infer, threads $t: Convolve plan images/s over ONNX Runtime's and PyTorch's (above 1 is faster);"
      echo "# diff: worst |difference| / max |output| of ONNX Runtime against Convolve's layers, of PyTorch against Convolve's plan"
      echo "# /unblk: the plan over the same plan with every convolution packing and unpacking its own image (what the blocked chains save)"
      printf '%-36s %9s %9s %9s %7s %7s %7s %9s %9s\n' case plan ort torch /ort /torch /unblk diff-ort diff-torch
      awk -F '\t' 'FNR == 1 { file++ } $1 != "ROW" || $2 != "infer" { next }
           { engine = $3; sub(/.* /, "", engine); base = $3; sub(/ [a-z]+$/, "", base); d = $8; sub(/^diff /, "", d)
             rate[base, engine] = $4; diff[base, engine] = d; if (engine == "plan") order[++rows] = base }
           END { for (i = 1; i <= rows; i++) { b = order[i]; p = rate[b, "plan"]; o = rate[b, "onnxruntime"]; t = rate[b, "torch"]; u = rate[b, "unblocked"];
                 printf "%-36s %9.1f %9.1f %9.1f %7.2f %7.2f %7.2f %9s %9s\n", b, p, o, t, (o > 0 ? p / o : 0), (t > 0 ? p / t : 0), (u > 0 ? p / u : 0), diff[b, "onnxruntime"], diff[b, "torch"] } }' \
          "$out/ours" "$out/torch"
    fi
  done
done
