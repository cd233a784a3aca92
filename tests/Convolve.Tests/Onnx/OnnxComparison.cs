using Convolve.Tensors;

namespace Convolve.Tests.Onnx;

/// <summary>
/// How far two outputs of the same model are apart: the largest absolute difference divided by
/// the largest magnitude of the reference (so a value near zero is judged on the output's scale).
/// </summary>
internal static class OnnxComparison
{
    /// <summary>The bound the tests require: 1e-5 of the reference's largest magnitude.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>max |actual − expected| / max |expected|; the shapes must agree.</summary>
    public static double RelativeDifference(Tensor actual, Tensor expected)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double largest = 0, difference = 0;
        for (int i = 0; i < expected.Size; i++)
        {
            Assert.False(float.IsNaN(expected.Data[i]) || float.IsNaN(actual.Data[i]), $"NaN at element {i}: {actual.Data[i]} vs {expected.Data[i]}");
            largest = Math.Max(largest, Math.Abs(expected.Data[i]));
            difference = Math.Max(difference, Math.Abs(actual.Data[i] - (double)expected.Data[i]));
        }
        Assert.True(largest > 0, "the reference output is all zeros: the comparison would prove nothing");
        return difference / largest;
    }

    /// <summary>Asserts the outputs agree within <see cref="Tolerance"/> and returns the relative difference.</summary>
    public static double AssertClose(Tensor actual, Tensor expected, string what)
    {
        double relative = RelativeDifference(actual, expected);
        Assert.True(relative <= Tolerance, $"{what}: relative difference {relative:E2} exceeds {Tolerance:E0}");
        return relative;
    }
}
