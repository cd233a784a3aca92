using System.Runtime.CompilerServices;

namespace Convolve.Kernels;

/// <summary>
/// Single-precision general matrix multiply on row-major matrices:
/// <c>C = alpha·op(A)·op(B) + beta·C</c>, where <c>op(X)</c> is <c>X</c> or <c>Xᵀ</c>;
/// <c>op(A)</c> is m×k, <c>op(B)</c> is k×n and C is m×n. Leading dimensions are row strides.
/// With <c>beta == 0</c> C is only written, never read (so NaN garbage in C is overwritten).
/// </summary>
public static class Gemm
{
    /// <summary>Computes <c>C = alpha·op(A)·op(B) + beta·C</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        GemmArguments.Validate(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        for (int i = 0; i < m; i++)
        {
            Span<float> row = c.Slice(i * ldc, n);
            if (beta == 0f)
            {
                row.Clear();
            }
            else if (beta != 1f)
            {
                for (int j = 0; j < n; j++)
                {
                    row[j] *= beta;
                }
            }
            for (int p = 0; p < k; p++)
            {
                float aip = alpha * (transposeA ? a[p * lda + i] : a[i * lda + p]);
                if (transposeB)
                {
                    for (int j = 0; j < n; j++)
                    {
                        row[j] += aip * b[j * ldb + p];
                    }
                }
                else
                {
                    ReadOnlySpan<float> bRow = b.Slice(p * ldb, n);
                    for (int j = 0; j < n; j++)
                    {
                        row[j] += aip * bRow[j];
                    }
                }
            }
        }
    }
}
