using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static System.Runtime.Intrinsics.Vector256;

namespace Convolve.Kernels;

/// <summary>
/// The AVX2 + FMA microkernel: a 6×16 tile in 12 named <see cref="Vector256{T}"/> accumulators.
/// With the two B vectors and one broadcast of A that makes 15 of the 16 ymm registers, the
/// largest tile that runs without spilling (the shape BLIS uses on Haswell and Zen).
/// </summary>
internal readonly unsafe struct GemmMicrokernel256 : IGemmMicrokernel
{
    public static int MR => 6;

    public static int NR => 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float> c0a = default, c0b = default, c1a = default, c1b = default, c2a = default, c2b = default;
        Vector256<float> c3a = default, c3b = default, c4a = default, c4b = default, c5a = default, c5b = default;
        for (int p = 0; p < kc; p++, a += 6, b += 16)
        {
            Vector256<float> b0 = Load(b), b1 = Load(b + 8), ai;
            ai = Create(a[0]); c0a = FusedMultiplyAdd(ai, b0, c0a); c0b = FusedMultiplyAdd(ai, b1, c0b);
            ai = Create(a[1]); c1a = FusedMultiplyAdd(ai, b0, c1a); c1b = FusedMultiplyAdd(ai, b1, c1b);
            ai = Create(a[2]); c2a = FusedMultiplyAdd(ai, b0, c2a); c2b = FusedMultiplyAdd(ai, b1, c2b);
            ai = Create(a[3]); c3a = FusedMultiplyAdd(ai, b0, c3a); c3b = FusedMultiplyAdd(ai, b1, c3b);
            ai = Create(a[4]); c4a = FusedMultiplyAdd(ai, b0, c4a); c4b = FusedMultiplyAdd(ai, b1, c4b);
            ai = Create(a[5]); c5a = FusedMultiplyAdd(ai, b0, c5a); c5b = FusedMultiplyAdd(ai, b1, c5b);
        }
        Store(c, c0a, c0b, alpha, beta); Store(c + ldc, c1a, c1b, alpha, beta);
        Store(c + 2 * ldc, c2a, c2b, alpha, beta); Store(c + 3 * ldc, c3a, c3b, alpha, beta);
        Store(c + 4 * ldc, c4a, c4b, alpha, beta); Store(c + 5 * ldc, c5a, c5b, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunHalf(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        for (int p = 0; p < kc; p++, a += 6, b += 16)
        {
            Vector256<float> b0 = Load(b);
            c0 = FusedMultiplyAdd(Create(a[0]), b0, c0); c1 = FusedMultiplyAdd(Create(a[1]), b0, c1);
            c2 = FusedMultiplyAdd(Create(a[2]), b0, c2); c3 = FusedMultiplyAdd(Create(a[3]), b0, c3);
            c4 = FusedMultiplyAdd(Create(a[4]), b0, c4); c5 = FusedMultiplyAdd(Create(a[5]), b0, c5);
        }
        Store(c, c0, alpha, beta); Store(c + ldc, c1, alpha, beta);
        Store(c + 2 * ldc, c2, alpha, beta); Store(c + 3 * ldc, c3, alpha, beta);
        Store(c + 4 * ldc, c4, alpha, beta); Store(c + 5 * ldc, c5, alpha, beta);
    }

    /// <summary>Writes one row of a half tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, Vector256<float> value, float alpha, float beta)
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
    private static void Store(float* row, Vector256<float> left, Vector256<float> right, float alpha, float beta)
    {
        left *= alpha;
        right *= alpha;
        if (beta != 0f)
        {
            left += Load(row) * beta;
            right += Load(row + 8) * beta;
        }
        left.Store(row);
        right.Store(row + 8);
    }
}
