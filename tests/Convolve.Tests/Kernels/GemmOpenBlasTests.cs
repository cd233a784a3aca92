using Convolve.Kernels;

namespace Convolve.Tests.Kernels;

/// <summary>A fact that runs only where <c>libopenblas.so.0</c> can be loaded, and otherwise says why it was skipped.</summary>
public sealed class OpenBlasFactAttribute : FactAttribute
{
    public OpenBlasFactAttribute()
    {
        if (!BlasNative.IsAvailable)
        {
            Skip = $"{BlasNative.LibraryName} is not installed (apt-get install libopenblas0-pthread): {BlasNative.LoadError}";
        }
    }
}

/// <summary>The optional native backend agrees with the managed GEMM (and so with the reference) on every variant.</summary>
public class GemmOpenBlasTests
{
    [OpenBlasFact]
    public void OpenBlas_matches_the_reference_on_every_variant()
    {
        foreach (var (transposeA, transposeB) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            foreach (float beta in new[] { 0f, -0.5f })
            {
                var test = new GemmCase(transposeA, transposeB, 37, 53, 71, 1.25f, beta, 2, 17);
                float[] native = (float[])test.InitialC.Clone();
                BlasNative.Multiply(transposeA, transposeB, 37, 53, 71, 1.25f, test.A, test.Lda, test.B, test.Ldb, beta, native, test.Ldc, 1);
                test.AssertMatchesReference(native, "OpenBLAS");
                test.AssertMatchesReference(test.RunManaged(GemmSettings.For(Simd.HardwareLevel, 1)), "managed");
            }
        }
    }
}
