using System.Runtime.CompilerServices;

namespace Convolve.Kernels;

/// <summary>
/// The element-wise steps of power-average (Lp) pooling as PyTorch 1.13 composes it around an
/// average pool with no padding: <c>u = xᵖ</c>, <c>s = AvgPool(u)</c>,
/// <c>out = (sign(s)·relu(|s|)·K)^(1/p)</c> with <c>K</c> the kernel volume. Powers follow C's
/// <c>pow</c>: a negative base with a non-integer exponent gives NaN, as in PyTorch.
/// </summary>
public static class PoolingLp
{
    /// <summary><c>output = inputᵖ</c> element-wise; both spans have the input's length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Power(ReadOnlySpan<float> input, Span<float> output, double normType)
    {
        // p = 2 is the common case; PyTorch also squares by multiplication there.
        if (normType == 2)
        {
            for (int i = 0; i < input.Length; i++)
            {
                output[i] = input[i] * input[i];
            }
            return;
        }
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = (float)Math.Pow(input[i], normType);
        }
    }

    /// <summary>
    /// <c>output = (sign(s)·relu(|s|)·K)^(1/p)</c> for each window average <c>s</c>; both spans have
    /// the output's length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Root(ReadOnlySpan<float> average, Span<float> output, double normType, int kernelVolume)
    {
        double exponent = 1.0 / normType;
        for (int i = 0; i < average.Length; i++)
        {
            float sum = average[i] * kernelVolume;
            // A root of one half is a square root, as PyTorch computes it.
            output[i] = exponent == 0.5 ? MathF.Sqrt(sum) : (float)Math.Pow(sum, exponent);
        }
    }

    /// <summary>
    /// Gradient of <see cref="Root"/> with respect to the window average:
    /// <c>gradAverage = gradOutput·K·(1/p)·(K·s)^(1/p − 1)</c>, and zero where <c>s = 0</c>, because
    /// there PyTorch's <c>relu</c> passes no gradient. All spans have the output's length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RootBackward(ReadOnlySpan<float> average, ReadOnlySpan<float> gradOutput, Span<float> gradAverage, double normType, int kernelVolume)
    {
        double exponent = 1.0 / normType;
        for (int i = 0; i < average.Length; i++)
        {
            float sum = average[i] * kernelVolume;
            gradAverage[i] = average[i] == 0f
                ? 0f
                : (float)(gradOutput[i] * kernelVolume * exponent * Math.Pow(sum, exponent - 1));
        }
    }

    /// <summary>
    /// Chain rule through <see cref="Power"/>: <c>grad ·= p·x^(p − 1)</c> in place, where
    /// <paramref name="grad"/> holds the gradient with respect to <c>xᵖ</c> on entry.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PowerBackwardInPlace(ReadOnlySpan<float> input, Span<float> grad, double normType)
    {
        for (int i = 0; i < input.Length; i++)
        {
            grad[i] = (float)(grad[i] * normType * Math.Pow(input[i], normType - 1));
        }
    }
}
