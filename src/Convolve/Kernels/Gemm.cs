using System.Runtime.CompilerServices;

namespace Convolve.Kernels;

/// <summary>
/// Single-precision general matrix multiply on row-major matrices:
/// <c>C = alpha·op(A)·op(B) + beta·C</c>, where <c>op(X)</c> is <c>X</c> or <c>Xᵀ</c>;
/// <c>op(A)</c> is m×k, <c>op(B)</c> is k×n and C is m×n. Leading dimensions are row strides.
/// With <c>beta == 0</c> C is only written, never read (so NaN garbage in C is overwritten).
/// The implementation follows BLIS (packed panels, a register-tile microkernel per
/// <see cref="Simd.Level"/>) and splits large products over <see cref="Parallelism.MaxThreads"/> threads so that
/// the result does not depend on the thread count: every element is computed by one thread in the
/// same k order. The threads come from <see cref="Parallelism"/>: small products stay on the
/// calling thread, and a product started from inside a parallel part is not split again.
/// <c>CONVOLVE_GEMM=openblas</c> routes every product to OpenBLAS's <c>cblas_sgemm</c> for comparison.
/// </summary>
public static class Gemm
{
    /// <summary>Environment variable that selects the backend: <c>managed</c> (default) or <c>openblas</c>.</summary>
    public const string BackendEnvironmentVariable = "CONVOLVE_GEMM";

    private static readonly GemmBackend ChosenBackend;
    private static readonly string? BackendError;

    static Gemm()
    {
        BackendError = GemmEnvironment.ParseBackend(Environment.GetEnvironmentVariable(BackendEnvironmentVariable), out ChosenBackend);
    }

    /// <summary>The backend chosen by <c>CONVOLVE_GEMM</c>.</summary>
    /// <exception cref="InvalidOperationException"><c>CONVOLVE_GEMM</c> names an unknown backend.</exception>
    public static GemmBackend Backend => BackendError is null ? ChosenBackend : throw new InvalidOperationException(BackendError);

    /// <summary>Computes <c>C = alpha·op(A)·op(B) + beta·C</c>.</summary>
    /// <exception cref="ArgumentException">A size is negative, a leading dimension is too small or a span too short.</exception>
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        GemmArguments.Validate(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (Backend == GemmBackend.OpenBlas && m > 0 && n > 0 && k > 0)
        {
            BlasNative.Multiply(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, Parallelism.MaxThreads);
            return;
        }
        SimdLevel level = Simd.Level;
        MultiplyManaged(GemmSettings.For(level, Parallelism.MaxThreads), transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>The managed GEMM with explicit settings (tests run every level and blocking through it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void MultiplyManaged(
        GemmSettings settings, bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        GemmArguments.Validate(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0 || alpha == 0f)
        {
            // As in BLAS: without a product to add, C is only scaled (and A, B are not read).
            GemmTile.Scale(c, m, n, ldc, beta);
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            var operands = new GemmOperands(transposeA, transposeB, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            switch (settings.Level)
            {
                case SimdLevel.Vector512:
                    Run<GemmMicrokernel512>(operands, settings, m, n);
                    break;
                case SimdLevel.Vector256:
                    Run<GemmMicrokernel256>(operands, settings, m, n);
                    break;
                case SimdLevel.Vector128:
                    Run<GemmMicrokernel128>(operands, settings, m, n);
                    break;
                default:
                    Run<GemmMicrokernelScalar>(operands, settings, m, n);
                    break;
            }
        }
    }

    private static void Run<TKernel>(GemmOperands operands, GemmSettings settings, int m, int n)
        where TKernel : struct, IGemmMicrokernel =>
        GemmParallel.Run<TKernel>(operands, settings.Blocking.RoundedTo(TKernel.MR, TKernel.NR), m, n, settings.Threads);
}
