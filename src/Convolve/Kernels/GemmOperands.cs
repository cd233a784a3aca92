namespace Convolve.Kernels;

/// <summary>
/// A validated, pinned GEMM problem in stride form, so that packing handles every transposition
/// variant and the microkernel has one form: <c>op(A)[i, p] = A[i·ARowStride + p·ADepthStride]</c>,
/// <c>op(B)[p, j] = B[p·BDepthStride + j·BColumnStride]</c>, <c>C[i, j] = C[i·Ldc + j]</c>.
/// </summary>
internal readonly unsafe struct GemmOperands
{
    public GemmOperands(bool transposeA, bool transposeB, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        K = k;
        Alpha = alpha;
        Beta = beta;
        A = a;
        ARowStride = transposeA ? 1 : lda;
        ADepthStride = transposeA ? lda : 1;
        B = b;
        BDepthStride = transposeB ? 1 : ldb;
        BColumnStride = transposeB ? ldb : 1;
        C = c;
        Ldc = ldc;
    }

    public int K { get; }

    public float Alpha { get; }

    public float Beta { get; }

    public float* A { get; }

    public nint ARowStride { get; }

    public nint ADepthStride { get; }

    public float* B { get; }

    public nint BDepthStride { get; }

    public nint BColumnStride { get; }

    public float* C { get; }

    public nint Ldc { get; }
}
