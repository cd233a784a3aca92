using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Convolve.Kernels;

namespace Convolve.Bench;

/// <summary>
/// The fused multiply-add peak of this machine, measured rather than taken from a data sheet
/// (a VM's clock and its neighbours move it): twelve independent accumulators, no memory operands,
/// at the SIMD level in use, on the given number of threads at once. Convolution rows report their
/// GFLOP/s as a share of it.
/// </summary>
internal static class PeakProbe
{
    private const int Steps = 2_000_000;

    /// <summary>The best of five runs of the register-only loop on <paramref name="threads"/> threads, in GFLOP/s (all threads together).</summary>
    public static double GigaFlops(int threads)
    {
        int lanes = Simd.Level switch { SimdLevel.Vector512 => 16, SimdLevel.Vector256 => 8, SimdLevel.Vector128 => 4, _ => 0 };
        if (lanes == 0)
        {
            return double.NaN;
        }
        Func<int, float> loop = lanes switch { 16 => Loop512, 8 => Loop256, _ => Loop128 };
        double best = 0;
        for (int run = 0; run < 5; run++)
        {
            long start = Stopwatch.GetTimestamp();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => loop(Steps));
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            best = Math.Max(best, 2.0 * 12 * lanes * Steps * threads / seconds / 1e9);
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Loop512(int steps)
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
    public static float Loop256(int steps)
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
    public static float Loop128(int steps)
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
