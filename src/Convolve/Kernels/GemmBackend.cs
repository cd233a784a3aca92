namespace Convolve.Kernels;

/// <summary>Which implementation <see cref="Gemm.Multiply"/> runs, chosen once by <c>CONVOLVE_GEMM</c>.</summary>
public enum GemmBackend
{
    /// <summary>The managed BLIS-style GEMM (the default; needs no native file).</summary>
    Managed = 0,

    /// <summary><c>cblas_sgemm</c> from <c>libopenblas.so.0</c>, for comparison (<c>CONVOLVE_GEMM=openblas</c>).</summary>
    OpenBlas = 1,
}
