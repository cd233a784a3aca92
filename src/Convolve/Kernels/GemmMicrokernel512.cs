using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static System.Runtime.Intrinsics.Vector512;

namespace Convolve.Kernels;

/// <summary>
/// The AVX-512 microkernel: a 12×32 tile in 24 named <see cref="Vector512{T}"/> accumulators
/// (a row is two vectors). Each k-step loads two vectors of B, broadcasts 12 values of A and issues
/// 24 fused multiply-adds. The accumulators must stay named locals: gathered into an array the JIT
/// spills them on every iteration and the kernel runs four times slower (DESIGN.md §2).
/// </summary>
internal readonly unsafe struct GemmMicrokernel512 : IGemmMicrokernel
{
    public static int MR => 12;

    public static int NR => 32;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c0a = default, c0b = default, c1a = default, c1b = default, c2a = default, c2b = default;
        Vector512<float> c3a = default, c3b = default, c4a = default, c4b = default, c5a = default, c5b = default;
        Vector512<float> c6a = default, c6b = default, c7a = default, c7b = default, c8a = default, c8b = default;
        Vector512<float> c9a = default, c9b = default, c10a = default, c10b = default, c11a = default, c11b = default;
        for (int p = 0; p < kc; p++, a += 12, b += 32)
        {
            Vector512<float> b0 = Load(b), b1 = Load(b + 16), ai;
            ai = Create(a[0]); c0a = FusedMultiplyAdd(ai, b0, c0a); c0b = FusedMultiplyAdd(ai, b1, c0b);
            ai = Create(a[1]); c1a = FusedMultiplyAdd(ai, b0, c1a); c1b = FusedMultiplyAdd(ai, b1, c1b);
            ai = Create(a[2]); c2a = FusedMultiplyAdd(ai, b0, c2a); c2b = FusedMultiplyAdd(ai, b1, c2b);
            ai = Create(a[3]); c3a = FusedMultiplyAdd(ai, b0, c3a); c3b = FusedMultiplyAdd(ai, b1, c3b);
            ai = Create(a[4]); c4a = FusedMultiplyAdd(ai, b0, c4a); c4b = FusedMultiplyAdd(ai, b1, c4b);
            ai = Create(a[5]); c5a = FusedMultiplyAdd(ai, b0, c5a); c5b = FusedMultiplyAdd(ai, b1, c5b);
            ai = Create(a[6]); c6a = FusedMultiplyAdd(ai, b0, c6a); c6b = FusedMultiplyAdd(ai, b1, c6b);
            ai = Create(a[7]); c7a = FusedMultiplyAdd(ai, b0, c7a); c7b = FusedMultiplyAdd(ai, b1, c7b);
            ai = Create(a[8]); c8a = FusedMultiplyAdd(ai, b0, c8a); c8b = FusedMultiplyAdd(ai, b1, c8b);
            ai = Create(a[9]); c9a = FusedMultiplyAdd(ai, b0, c9a); c9b = FusedMultiplyAdd(ai, b1, c9b);
            ai = Create(a[10]); c10a = FusedMultiplyAdd(ai, b0, c10a); c10b = FusedMultiplyAdd(ai, b1, c10b);
            ai = Create(a[11]); c11a = FusedMultiplyAdd(ai, b0, c11a); c11b = FusedMultiplyAdd(ai, b1, c11b);
        }
        Store(c, c0a, c0b, alpha, beta); Store(c + ldc, c1a, c1b, alpha, beta);
        Store(c + 2 * ldc, c2a, c2b, alpha, beta); Store(c + 3 * ldc, c3a, c3b, alpha, beta);
        Store(c + 4 * ldc, c4a, c4b, alpha, beta); Store(c + 5 * ldc, c5a, c5b, alpha, beta);
        Store(c + 6 * ldc, c6a, c6b, alpha, beta); Store(c + 7 * ldc, c7a, c7b, alpha, beta);
        Store(c + 8 * ldc, c8a, c8b, alpha, beta); Store(c + 9 * ldc, c9a, c9b, alpha, beta);
        Store(c + 10 * ldc, c10a, c10b, alpha, beta); Store(c + 11 * ldc, c11a, c11b, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunHalf(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector512<float> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (int p = 0; p < kc; p++, a += 12, b += 32)
        {
            Vector512<float> b0 = Load(b);
            c0 = FusedMultiplyAdd(Create(a[0]), b0, c0); c1 = FusedMultiplyAdd(Create(a[1]), b0, c1);
            c2 = FusedMultiplyAdd(Create(a[2]), b0, c2); c3 = FusedMultiplyAdd(Create(a[3]), b0, c3);
            c4 = FusedMultiplyAdd(Create(a[4]), b0, c4); c5 = FusedMultiplyAdd(Create(a[5]), b0, c5);
            c6 = FusedMultiplyAdd(Create(a[6]), b0, c6); c7 = FusedMultiplyAdd(Create(a[7]), b0, c7);
            c8 = FusedMultiplyAdd(Create(a[8]), b0, c8); c9 = FusedMultiplyAdd(Create(a[9]), b0, c9);
            c10 = FusedMultiplyAdd(Create(a[10]), b0, c10); c11 = FusedMultiplyAdd(Create(a[11]), b0, c11);
        }
        Store(c, c0, alpha, beta); Store(c + ldc, c1, alpha, beta);
        Store(c + 2 * ldc, c2, alpha, beta); Store(c + 3 * ldc, c3, alpha, beta);
        Store(c + 4 * ldc, c4, alpha, beta); Store(c + 5 * ldc, c5, alpha, beta);
        Store(c + 6 * ldc, c6, alpha, beta); Store(c + 7 * ldc, c7, alpha, beta);
        Store(c + 8 * ldc, c8, alpha, beta); Store(c + 9 * ldc, c9, alpha, beta);
        Store(c + 10 * ldc, c10, alpha, beta); Store(c + 11 * ldc, c11, alpha, beta);
    }

    /// <summary>Writes one row of a half tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, Vector512<float> value, float alpha, float beta)
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
    private static void Store(float* row, Vector512<float> left, Vector512<float> right, float alpha, float beta)
    {
        left *= alpha;
        right *= alpha;
        if (beta != 0f)
        {
            left += Load(row) * beta;
            right += Load(row + 16) * beta;
        }
        left.Store(row);
        right.Store(row + 16);
    }
}
