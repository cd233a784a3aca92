using Convolve.Kernels;

namespace Convolve.Tests.Kernels;

/// <summary>SIMD level choice, environment variables, thread cap and argument validation.</summary>
public class GemmConfigurationTests
{
    [Trait("Category", "Simd")]
    [Fact]
    public void Simd_level_can_only_be_lowered_and_names_what_is_wrong()
    {
        Assert.Null(Simd.TryChoose(null, SimdLevel.Vector256, out SimdLevel level));
        Assert.Equal(SimdLevel.Vector256, level);
        Assert.Null(Simd.TryChoose(" Scalar ", SimdLevel.Vector256, out level));
        Assert.Equal(SimdLevel.Scalar, level);
        Assert.Null(Simd.TryChoose("128", SimdLevel.Vector512, out level));
        Assert.Equal(SimdLevel.Vector128, level);
        string? tooHigh = Simd.TryChoose("512", SimdLevel.Vector256, out _);
        Assert.Contains("CONVOLVE_SIMD=512 asks for Vector512 but this processor accelerates at most Vector256", tooHigh, StringComparison.Ordinal);
        string? unknown = Simd.TryChoose("avx", SimdLevel.Vector256, out _);
        Assert.Contains("CONVOLVE_SIMD=\"avx\" is not a SIMD level; use scalar, 128, 256 or 512", unknown, StringComparison.Ordinal);
    }

    [Trait("Category", "Simd")]
    [Fact]
    public void Process_level_is_at_most_the_hardware_level_and_the_GEMM_uses_it()
    {
        Assert.True(Simd.Level <= Simd.HardwareLevel, $"{Simd.Level} above hardware {Simd.HardwareLevel}");
        var test = new GemmCase(false, false, 45, 77, 33, 1f, 0f, 0, 5);
        float[] c = (float[])test.InitialC.Clone();
        Gemm.Multiply(false, false, 45, 77, 33, 1f, test.A, test.Lda, test.B, test.Ldb, 0f, c, test.Ldc);
        test.AssertMatchesReference(c, "public Multiply");
    }

    [Fact]
    public void Environment_values_are_parsed_with_messages_that_name_them()
    {
        Assert.Null(GemmEnvironment.ParseBackend(null, out GemmBackend backend));
        Assert.Equal(GemmBackend.Managed, backend);
        Assert.Null(GemmEnvironment.ParseBackend("OpenBLAS", out backend));
        Assert.Equal(GemmBackend.OpenBlas, backend);
        Assert.Contains("CONVOLVE_GEMM=\"mkl\" is not a GEMM backend; use managed or openblas",
            GemmEnvironment.ParseBackend("mkl", out _), StringComparison.Ordinal);
        Assert.Equal(6, Parallelism.ParseThreads(null, 6, out string? error));
        Assert.Null(error);
        Assert.Equal(3, Parallelism.ParseThreads(" 3 ", 6, out error));
        Assert.Null(error);
        Parallelism.ParseThreads("0", 6, out error);
        Assert.Contains("CONVOLVE_THREADS=\"0\" must be a positive integer", error, StringComparison.Ordinal);
        Parallelism.ParseThreads("many", 6, out error);
        Assert.Contains("CONVOLVE_THREADS=\"many\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxThreads_refuses_values_below_one()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MaxThreads = 0);
        Assert.Contains("Parallelism.MaxThreads must be at least 1 but got 0", exception.Message, StringComparison.Ordinal);
        Assert.True(Parallelism.MaxThreads >= 1);
    }

    [Theory]
    [InlineData(-1, 2, 2, 2, 2, 2, 2, 2, 2, "sizes must be non-negative but got m=-1, n=2, k=2")]
    [InlineData(2, 2, 3, 6, 2, 6, 2, 4, 2, "leading dimension of A (2) must be at least its column count (3)")]
    [InlineData(2, 2, 3, 5, 3, 6, 2, 4, 2, "A is 2×3 with leading dimension 3 and needs 6 elements but has 5")]
    [InlineData(2, 4, 3, 6, 3, 12, 3, 8, 4, "leading dimension of B (3) must be at least its column count (4)")]
    [InlineData(2, 4, 3, 6, 3, 11, 4, 8, 4, "B is 3×4 with leading dimension 4 and needs 12 elements but has 11")]
    [InlineData(2, 4, 3, 6, 3, 12, 4, 8, 3, "leading dimension of C (3) must be at least its column count (4)")]
    [InlineData(2, 4, 3, 6, 3, 12, 4, 8, 5, "C is 2×4 with leading dimension 5 and needs 9 elements but has 8")]
    public void Bad_arguments_are_refused_with_rule_and_values(int m, int n, int k, int aLength, int lda, int bLength, int ldb, int cLength, int ldc, string message)
    {
        var exception = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(false, false, m, n, k, 1f, new float[aLength], lda, new float[bLength], ldb, 0f, new float[cLength], ldc));
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    /// <summary>Without a product (k = 0 or alpha = 0) C becomes beta·C, and beta = 0 clears NaN; m or n = 0 is a no-op.</summary>
    [Theory]
    [InlineData(0, 1f, 0f, 0f)]
    [InlineData(0, 1f, 2f, 2f)]
    [InlineData(3, 0f, -0.5f, -0.5f)]
    [InlineData(3, 0f, 0f, 0f)]
    public void Empty_products_scale_C(int k, float alpha, float beta, float expectedFactor)
    {
        float[] c = [1f, 2f, 3f, 4f, 5f, 6f];
        if (beta == 0f)
        {
            Array.Fill(c, float.NaN);
        }
        float[] expected = c.Select(value => beta == 0f ? 0f : value * expectedFactor).ToArray();
        Gemm.Multiply(false, false, 2, 3, k, alpha, new float[2 * Math.Max(k, 1)], Math.Max(k, 1), new float[3 * Math.Max(k, 1)], 3, beta, c, 3);
        Assert.Equal(expected, c);
        float[] untouched = [float.NaN];
        Gemm.Multiply(false, false, 0, 1, 1, 1f, [1f], 1, [1f], 1, 0f, untouched, 1);
        Assert.True(float.IsNaN(untouched[0]));
    }
}
