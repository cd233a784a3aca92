#!/usr/bin/python3
"""Times the GEMM shapes of `Convolve.Bench gemm` with numpy.matmul and torch.mm, same table format.

Run with Debian's python3 (numpy and torch use OpenBLAS through libblas.so.3):
    /usr/bin/python3 bench/compare_gemm.py [--threads N] [--library numpy|torch|both] [--shapes a,b]

OPENBLAS_CORETYPE is removed and OPENBLAS_NUM_THREADS set before numpy is imported: OpenBLAS reads
both when it loads, and a forced Haswell core type halves its speed on AVX-512 machines.
The shape list must match GemmShape.Standard in bench/Convolve.Bench/GemmShape.cs.
"""
import argparse
import os
import time

SHAPES = [
    ("square-256", 256, 256, 256),
    ("square-512", 512, 512, 512),
    ("square-1024", 1024, 1024, 1024),
    ("square-2048", 2048, 2048, 2048),
    ("conv1-28x28-image", 32, 784, 25),
    ("conv1-28x28-batch64", 32, 784 * 64, 25),
    ("conv2-14x14-image", 64, 196, 800),
    ("conv2-14x14-batch64", 64, 196 * 64, 800),
    ("conv3-7x7-image", 128, 49, 576),
    ("conv3-7x7-batch64", 128, 49 * 64, 576),
    ("conv4-32x32-image", 64, 1024, 27),
    ("conv4-32x32-batch64", 64, 1024 * 64, 27),
]
HEADER = "shape                          M      N      K   median      min      max  (GFLOP/s)"
RUNS, WARMUP_SECONDS, MIN_RUN_SECONDS = 21, 0.3, 0.005


def measure(operation):
    """Warm-up, then RUNS timed runs of enough repetitions to last MIN_RUN_SECONDS: seconds per call (median, min, max)."""
    start, calls = time.perf_counter(), 0
    while calls < 3 or time.perf_counter() - start < WARMUP_SECONDS:
        operation()
        calls += 1
    repetitions = max(1, int(-(-MIN_RUN_SECONDS // ((time.perf_counter() - start) / calls))))
    seconds = []
    for _ in range(RUNS):
        run_start = time.perf_counter()
        for _ in range(repetitions):
            operation()
        seconds.append((time.perf_counter() - run_start) / repetitions)
    seconds.sort()
    return seconds[RUNS // 2], seconds[0], seconds[-1]


def table(name, threads, shapes, make_operation):
    print(f"# {name}, threads {threads}")
    print(HEADER)
    for shape, m, n, k in shapes:
        median, fastest, slowest = measure(make_operation(m, n, k))
        flops = 2.0 * m * n * k
        print(f"{shape:<26} {m:6} {n:6} {k:6} {flops / median / 1e9:8.1f} {flops / slowest / 1e9:8.1f} {flops / fastest / 1e9:8.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--library", choices=["numpy", "torch", "both"], default="both")
    parser.add_argument("--shapes", default="")
    args = parser.parse_args()
    os.environ.pop("OPENBLAS_CORETYPE", None)
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = str(args.threads)
    import numpy  # after the environment is set: OpenBLAS reads it when loaded
    wanted = set(filter(None, args.shapes.split(",")))
    shapes = [s for s in SHAPES if not wanted or s[0] in wanted]
    generator = numpy.random.default_rng(1234)

    def operands(m, n, k):
        a = generator.uniform(-1, 1, (m, k)).astype(numpy.float32)
        b = generator.uniform(-1, 1, (k, n)).astype(numpy.float32)
        return a, b, numpy.empty((m, n), numpy.float32)

    if args.library in ("numpy", "both"):
        def numpy_operation(m, n, k):
            a, b, c = operands(m, n, k)
            return lambda: numpy.matmul(a, b, out=c)
        table(f"numpy.matmul {numpy.__version__}", args.threads, shapes, numpy_operation)
    if args.library in ("torch", "both"):
        import torch
        torch.set_num_threads(args.threads)

        def torch_operation(m, n, k):
            a, b, c = (torch.from_numpy(x) for x in operands(m, n, k))
            return lambda: torch.mm(a, b, out=c)
        table(f"torch.mm {torch.__version__}", args.threads, shapes, torch_operation)


if __name__ == "__main__":
    main()
