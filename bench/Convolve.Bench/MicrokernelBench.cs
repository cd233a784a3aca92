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
            Report<GemmMicrokernel512>(output, benchmark, "Vector512", 16, () => Peak512(Depth * Calls));
        }
        if (SimdLevel.Vector256 <= Simd.HardwareLevel)
        {
            Report<GemmMicrokernel256>(output, benchmark, "Vector256", 8, () => Peak256(Depth * Calls));
        }
        Report<GemmMicrokernel128>(output, benchmark, "Vector128", 4, () => Peak128(Depth * Calls));
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

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Peak512(int steps)
    {
        Vector512<float> x = Vector512.Create(0.999f), y = Vector512.Create(0.001f);
        Vector512<float> c0 = x, c1 = x, c2 = x, c3 = x, c4 = x, c5 = x, c6 = x, c7 = x, c8 = x, c9 = x, c10 = x, c11 = x;
        for (int i = 0; i < steps; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, x, y); c1 = Vector512.FusedMultiplyAdd(c1, x, y); c2 = Vector512.FusedMultiplyAdd(c2, x, y);
            c3 = Vector512.FusedMultiplyAdd(c3, x, y); c4 = Vector512.FusedMultiplyAdd(c4, x, y); c5 = Vector512.FusedMultiplyAdd(c5, x, y);
            c6 = Vector512.FusedMultiplyAdd(c6, x, y); c7 = Vector512.FusedMultiplyAdd(c7, x, y); c8 = Vector512.FusedMultiplyAdd(c8, x, y);
            c9 = Vector512.FusedMultiplyAdd(c9, x, y); c10 = Vector512.FusedMultiplyAdd(c10, x, y); c11 = Vector512.FusedMultiplyAdd(c11, x, y);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Peak256(int steps)
    {
        Vector256<float> x = Vector256.Create(0.999f), y = Vector256.Create(0.001f);
        Vector256<float> c0 = x, c1 = x, c2 = x, c3 = x, c4 = x, c5 = x, c6 = x, c7 = x, c8 = x, c9 = x, c10 = x, c11 = x;
        for (int i = 0; i < steps; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, x, y); c1 = Vector256.FusedMultiplyAdd(c1, x, y); c2 = Vector256.FusedMultiplyAdd(c2, x, y);
            c3 = Vector256.FusedMultiplyAdd(c3, x, y); c4 = Vector256.FusedMultiplyAdd(c4, x, y); c5 = Vector256.FusedMultiplyAdd(c5, x, y);
            c6 = Vector256.FusedMultiplyAdd(c6, x, y); c7 = Vector256.FusedMultiplyAdd(c7, x, y); c8 = Vector256.FusedMultiplyAdd(c8, x, y);
            c9 = Vector256.FusedMultiplyAdd(c9, x, y); c10 = Vector256.FusedMultiplyAdd(c10, x, y); c11 = Vector256.FusedMultiplyAdd(c11, x, y);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Peak128(int steps)
    {
        Vector128<float> x = Vector128.Create(0.999f), y = Vector128.Create(0.001f);
        Vector128<float> c0 = x, c1 = x, c2 = x, c3 = x, c4 = x, c5 = x, c6 = x, c7 = x, c8 = x, c9 = x, c10 = x, c11 = x;
        for (int i = 0; i < steps; i++)
        {
            c0 = Vector128.MultiplyAddEstimate(c0, x, y); c1 = Vector128.MultiplyAddEstimate(c1, x, y); c2 = Vector128.MultiplyAddEstimate(c2, x, y);
            c3 = Vector128.MultiplyAddEstimate(c3, x, y); c4 = Vector128.MultiplyAddEstimate(c4, x, y); c5 = Vector128.MultiplyAddEstimate(c5, x, y);
            c6 = Vector128.MultiplyAddEstimate(c6, x, y); c7 = Vector128.MultiplyAddEstimate(c7, x, y); c8 = Vector128.MultiplyAddEstimate(c8, x, y);
            c9 = Vector128.MultiplyAddEstimate(c9, x, y); c10 = Vector128.MultiplyAddEstimate(c10, x, y); c11 = Vector128.MultiplyAddEstimate(c11, x, y);
        }
        return Vector128.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}
