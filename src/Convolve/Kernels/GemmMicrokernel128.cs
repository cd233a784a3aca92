using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static System.Runtime.Intrinsics.Vector128;

namespace Convolve.Kernels;

/// <summary>
/// The 128-bit microkernel (SSE, Arm AdvSimd): a 6×8 tile in 12 named <see cref="Vector128{T}"/>
/// accumulators, 15 of the 16 xmm registers of x64. It uses <c>MultiplyAddEstimate</c>, which fuses
/// where the hardware has FMA and falls back to multiply-then-add where it has not (a software fused
/// multiply-add would be far slower than the kernel it serves).
/// </summary>
internal readonly unsafe struct GemmMicrokernel128 : IGemmMicrokernel
{
    public static int MR => 6;

    public static int NR => 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector128<float> c0a = default, c0b = default, c1a = default, c1b = default, c2a = default, c2b = default;
        Vector128<float> c3a = default, c3b = default, c4a = default, c4b = default, c5a = default, c5b = default;
        for (int p = 0; p < kc; p++, a += 6, b += 8)
        {
            Vector128<float> b0 = Load(b), b1 = Load(b + 4), ai;
            ai = Create(a[0]); c0a = MultiplyAddEstimate(ai, b0, c0a); c0b = MultiplyAddEstimate(ai, b1, c0b);
            ai = Create(a[1]); c1a = MultiplyAddEstimate(ai, b0, c1a); c1b = MultiplyAddEstimate(ai, b1, c1b);
            ai = Create(a[2]); c2a = MultiplyAddEstimate(ai, b0, c2a); c2b = MultiplyAddEstimate(ai, b1, c2b);
            ai = Create(a[3]); c3a = MultiplyAddEstimate(ai, b0, c3a); c3b = MultiplyAddEstimate(ai, b1, c3b);
            ai = Create(a[4]); c4a = MultiplyAddEstimate(ai, b0, c4a); c4b = MultiplyAddEstimate(ai, b1, c4b);
            ai = Create(a[5]); c5a = MultiplyAddEstimate(ai, b0, c5a); c5b = MultiplyAddEstimate(ai, b1, c5b);
        }
        Store(c, c0a, c0b, alpha, beta); Store(c + ldc, c1a, c1b, alpha, beta);
        Store(c + 2 * ldc, c2a, c2b, alpha, beta); Store(c + 3 * ldc, c3a, c3b, alpha, beta);
        Store(c + 4 * ldc, c4a, c4b, alpha, beta); Store(c + 5 * ldc, c5a, c5b, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunHalf(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector128<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        for (int p = 0; p < kc; p++, a += 6, b += 8)
        {
            Vector128<float> b0 = Load(b);
            c0 = MultiplyAddEstimate(Create(a[0]), b0, c0); c1 = MultiplyAddEstimate(Create(a[1]), b0, c1);
            c2 = MultiplyAddEstimate(Create(a[2]), b0, c2); c3 = MultiplyAddEstimate(Create(a[3]), b0, c3);
            c4 = MultiplyAddEstimate(Create(a[4]), b0, c4); c5 = MultiplyAddEstimate(Create(a[5]), b0, c5);
        }
        Store(c, c0, alpha, beta); Store(c + ldc, c1, alpha, beta);
        Store(c + 2 * ldc, c2, alpha, beta); Store(c + 3 * ldc, c3, alpha, beta);
        Store(c + 4 * ldc, c4, alpha, beta); Store(c + 5 * ldc, c5, alpha, beta);
    }

    /// <summary>Writes one row of a half tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, Vector128<float> value, float alpha, float beta)
    {
        value *= alpha;
        if (beta != 0f)
        {
            value += Load(row) * beta;
        }
        value.Store(row);
    }

    /// <summary>Writes one tile row: <c>alpha·acc</c>, plus <c>beta·C</c> only when beta is non-zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, Vector128<float> left, Vector128<float> right, float alpha, float beta)
    {
        left *= alpha;
        right *= alpha;
        if (beta != 0f)
        {
            left += Load(row) * beta;
            right += Load(row + 4) * beta;
        }
        left.Store(row);
        right.Store(row + 4);
    }
}
