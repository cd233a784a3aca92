using Convolve.Tensors;

namespace Convolve.Tests.Testing;

/// <summary>Element-wise comparisons whose failures name the index and both values.</summary>
public static class TensorAssert
{
    /// <summary>Requires |actual − expected| ≤ atol + rtol·|expected| everywhere, and equal shapes.</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double rtol, double atol, string context)
    {
        Assert.True(expected.Length == actual.Length, $"{context}: length {actual.Length} but expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs(actual[i] - expected[i]);
            if (!(diff <= atol + rtol * Math.Abs(expected[i])))
            {
                Assert.Fail($"{context}: element {i} is {actual[i]:G9} but expected {expected[i]:G9} (|diff| {diff:G3})");
            }
        }
    }

    /// <summary>As <see cref="Close(ReadOnlySpan{double}, ReadOnlySpan{float}, double, double, string)"/>, and returns the worst <c>|actual − expected| / (1 + |expected|)</c>.</summary>
    public static double CloseWithWorst(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double rtol, double atol, string context)
    {
        Close(expected, actual, rtol, atol, context);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / (1 + Math.Abs(expected[i])));
        }
        return worst;
    }

    /// <summary>Float expected values.</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double rtol, double atol, string context)
    {
        var wide = new double[expected.Length];
        for (int i = 0; i < wide.Length; i++)
        {
            wide[i] = expected[i];
        }
        Close(wide, actual, rtol, atol, context);
    }

    /// <summary>Tensors of equal shape and close values.</summary>
    public static void Close(Tensor expected, Tensor actual, double rtol, double atol, string context)
    {
        Assert.True(expected.Shape == actual.Shape, $"{context}: shape {actual.Shape} but expected {expected.Shape}");
        Close(expected.Data, actual.Data, rtol, atol, context);
    }

    /// <summary>Bitwise equality of two float spans.</summary>
    public static void Identical(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string context)
    {
        Assert.True(expected.Length == actual.Length, $"{context}: length {actual.Length} but expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{context}: element {i} is {actual[i]:G9} but expected {expected[i]:G9}");
            }
        }
    }
}
