using System.Runtime.CompilerServices;

namespace Convolve.Kernels;

/// <summary>
/// The scalar microkernel for hardware without usable SIMD: a 2×4 tile in 8 named float
/// accumulators, with the four B and two A values of a k-step loaded once and a multiply then an
/// add (no software fused multiply-add). That is 15 live registers of x64's 16; larger tiles
/// (3×4, 4×4) spill to the stack on every k-step, as the JIT's machine code shows.
/// </summary>
internal readonly unsafe struct GemmMicrokernelScalar : IGemmMicrokernel
{
    public static int MR => 2;

    public static int NR => 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        for (int p = 0; p < kc; p++, a += 2, b += 4)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], a0 = a[0], a1 = a[1];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        }
        Store(c, c00, c01, c02, c03, alpha, beta);
        Store(c + ldc, c10, c11, c12, c13, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunHalf(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        float c00 = 0, c01 = 0, c10 = 0, c11 = 0;
        for (int p = 0; p < kc; p++, a += 2, b += 4)
        {
            float b0 = b[0], b1 = b[1], a0 = a[0], a1 = a[1];
            c00 += a0 * b0; c01 += a0 * b1;
            c10 += a1 * b0; c11 += a1 * b1;
        }
        Put(c, c00, alpha, beta);
        Put(c + 1, c01, alpha, beta);
        Put(c + ldc, c10, alpha, beta);
        Put(c + ldc + 1, c11, alpha, beta);
    }

    /// <summary>Writes one tile row: <c>alpha·acc</c>, plus <c>beta·C</c> only when beta is non-zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, float v0, float v1, float v2, float v3, float alpha, float beta)
    {
        Put(row, v0, alpha, beta);
        Put(row + 1, v1, alpha, beta);
        Put(row + 2, v2, alpha, beta);
        Put(row + 3, v3, alpha, beta);
    }

    /// <summary>Writes <c>alpha·acc</c>, plus <c>beta·C</c> (C read only then) when beta is non-zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* target, float acc, float alpha, float beta) =>
        *target = beta == 0f ? acc * alpha : acc * alpha + *target * beta;
}
