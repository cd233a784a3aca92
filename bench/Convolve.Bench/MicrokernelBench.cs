using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Convolve.Kernels;

namespace Convolve.Bench;

/// <summary>
/// The <c>microkernel</c> mode: each accelerated microkernel alone on L1-resident packed panels
/// (kc = 256), against the register-only fused multiply-add peak of the same vector width
/// measured the same way (12 independent accumulators, no memory operands). The ratio is the
/// kernel's efficiency; FLOP/cycle follows from the width's nominal 2 FMA pipes.
/// </summary>
internal static unsafe class MicrokernelBench
{
    private const int Depth = 256, Calls = 200;

    public static void Run(TextWriter output, Benchmark benchmark)
    {
        output.WriteLine($"# convolve microkernel alone, kc = {Depth}, panels in L1; peak = register-only FMA loop; 1 thread");
        output.WriteLine("kernel           tile   GFLOP/s   peak GFLOP/s   of peak   FLOP/cycle (at 2 FMA/cycle)");
        if (SimdLevel.Vector512 <= Simd.HardwareLevel)
        {
            Report<GemmMicrokernel512>(output, benchmark, "Vector512", 16, () => PeakProbe.Loop512(Depth * Calls));
        }
        if (SimdLevel.Vector256 <= Simd.HardwareLevel)
        {
            Report<GemmMicrokernel256>(output, benchmark, "Vector256", 8, () => PeakProbe.Loop256(Depth * Calls));
        }
        Report<GemmMicrokernel128>(output, benchmark, "Vector128", 4, () => PeakProbe.Loop128(Depth * Calls));
    }

    private static void Report<TKernel>(TextWriter output, Benchmark benchmark, string name, int lanes, Func<float> peak)
        where TKernel : struct, IGemmMicrokernel
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        float* a = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)(Depth * mr * 4), 64);
        float* b = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)(Depth * nr * 4), 64);
        float* c = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)(mr * nr * 4), 64);
        new Span<float>(a, Depth * mr).Fill(0.5f);
        new Span<float>(b, Depth * nr).Fill(0.25f);
        double kernelSeconds = benchmark.Measure(() =>
        {
            for (int i = 0; i < Calls; i++)
            {
                TKernel.Run(Depth, a, b, c, nr, 1f, 0f);
            }
        }).Median;
        double peakSeconds = benchmark.Measure(() => peak()).Median;
        double kernelGflops = 2.0 * mr * nr * Depth * Calls / kernelSeconds / 1e9;
        double peakGflops = 2.0 * 12 * lanes * Depth * Calls / peakSeconds / 1e9;
        double cycles = peakGflops / (2 * 2 * lanes);
        output.WriteLine($"{name,-14} {mr,2}×{nr,-3} {kernelGflops,9:F1} {peakGflops,14:F1} {kernelGflops / peakGflops,9:P0} {kernelGflops / cycles,12:F1} of {2 * 2 * lanes}");
        System.Runtime.InteropServices.NativeMemory.AlignedFree(a);
        System.Runtime.InteropServices.NativeMemory.AlignedFree(b);
        System.Runtime.InteropServices.NativeMemory.AlignedFree(c);
    }
}
