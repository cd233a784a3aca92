namespace Convolve.Kernels;

/// <summary>
/// The plain reference twin of <see cref="Gemm"/>: the definition
/// <c>C[i,j] = alpha·Σ_p op(A)[i,p]·op(B)[p,j] + beta·C[i,j]</c> with a float64 accumulator,
/// used by tests to check every fast path.
/// </summary>
public static class GemmReference
{
    /// <summary>Computes <c>C = alpha·op(A)·op(B) + beta·C</c> directly from the definition.</summary>
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        GemmArguments.Validate(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double aip = transposeA ? a[p * lda + i] : a[i * lda + p];
                    double bpj = transposeB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += aip * bpj;
                }
                double value = alpha * sum;
                if (beta != 0f)
                {
                    value += beta * (double)c[i * ldc + j];
                }
                c[i * ldc + j] = (float)value;
            }
        }
    }
}
