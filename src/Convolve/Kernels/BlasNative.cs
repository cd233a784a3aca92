using System.Runtime.InteropServices;

namespace Convolve.Kernels;

/// <summary>
/// The optional native backend: <c>cblas_sgemm</c> from OpenBLAS, resolved at run time with
/// <see cref="NativeLibrary"/> so that the library itself needs no native file and works where
/// OpenBLAS is absent. Used for comparison only (<c>CONVOLVE_GEMM=openblas</c>).
/// </summary>
internal static unsafe class BlasNative
{
    /// <summary>The shared object loaded (Debian package <c>libopenblas0-pthread</c>).</summary>
    public const string LibraryName = "libopenblas.so.0";

    // CBLAS enumeration values from cblas.h.
    private const int RowMajor = 101, NoTranspose = 111, Transpose = 112;

    private static readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Sgemm;
    private static readonly delegate* unmanaged<int, void> SetThreadCount;
    private static int threadCount;

    static BlasNative()
    {
        if (!NativeLibrary.TryLoad(LibraryName, out nint library))
        {
            LoadError = $"CONVOLVE_GEMM=openblas but {LibraryName} could not be loaded; install it " +
                "(Debian/Ubuntu: apt-get install libopenblas0-pthread) or unset CONVOLVE_GEMM to use the managed GEMM";
            return;
        }
        if (!NativeLibrary.TryGetExport(library, "cblas_sgemm", out nint sgemm))
        {
            LoadError = $"{LibraryName} was loaded but exports no cblas_sgemm; unset CONVOLVE_GEMM to use the managed GEMM";
            return;
        }
        Sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        if (NativeLibrary.TryGetExport(library, "openblas_set_num_threads", out nint setThreads))
        {
            SetThreadCount = (delegate* unmanaged<int, void>)setThreads;
        }
    }

    /// <summary>Why the library cannot be used, or null when it can.</summary>
    public static string? LoadError { get; }

    /// <summary>Whether <c>cblas_sgemm</c> was found.</summary>
    public static bool IsAvailable => LoadError is null;

    /// <summary>
    /// Calls <c>cblas_sgemm</c> in row-major order with OpenBLAS limited to <paramref name="threads"/>
    /// threads. Arguments must be validated and m, n, k positive.
    /// </summary>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, int threads)
    {
        if (LoadError is not null)
        {
            throw new InvalidOperationException(LoadError);
        }
        if (SetThreadCount != null && threads != Volatile.Read(ref threadCount))
        {
            SetThreadCount(threads);
            Volatile.Write(ref threadCount, threads);
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            Sgemm(RowMajor, transposeA ? Transpose : NoTranspose, transposeB ? Transpose : NoTranspose,
                m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }
}
