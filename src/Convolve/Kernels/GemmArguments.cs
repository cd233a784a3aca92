namespace Convolve.Kernels;

/// <summary>Validation shared by every GEMM implementation: sizes and leading dimensions against span lengths.</summary>
internal static class GemmArguments
{
    public static void Validate(bool transposeA, bool transposeB, int m, int n, int k, int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentException($"GEMM sizes must be non-negative but got m={m}, n={n}, k={k}");
        }
        int aRows = transposeA ? k : m, aCols = transposeA ? m : k;
        int bRows = transposeB ? n : k, bCols = transposeB ? k : n;
        Check("A", aRows, aCols, aLength, lda);
        Check("B", bRows, bCols, bLength, ldb);
        Check("C", m, n, cLength, ldc);
    }

    private static void Check(string name, int rows, int cols, int length, int ld)
    {
        if (ld < Math.Max(1, cols))
        {
            throw new ArgumentException($"GEMM: leading dimension of {name} ({ld}) must be at least its column count ({cols})");
        }
        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < needed)
        {
            throw new ArgumentException($"GEMM: {name} is {rows}×{cols} with leading dimension {ld} and needs {needed} elements but has {length}");
        }
    }
}
