using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary>
/// The element-wise steps of <see cref="PoolingLp"/> for the common <c>p = 2</c>, vectorised.
/// <see cref="Square"/>, <see cref="Root"/> and <see cref="SquareBackwardInPlace"/> give exactly
/// <see cref="PoolingLp"/>'s floats (the last computes <c>float(2·g·x)</c> with one rounding, as the
/// double product there does). <see cref="RootBackward"/> divides by a double square root where
/// <see cref="PoolingLp"/> multiplies by <c>Math.Pow(s, −½)</c>: both are within a double ulp of
/// the true value, so the float results agree or differ by one float ulp in rare ties.
/// </summary>
public static class PoolingLp2
{
    /// <summary>2¹²⁷: below it, doubling a float is exact.</summary>
    private const float Doublable = 1.70141183e38f;

    private static bool Wide => Simd.Level >= SimdLevel.Vector256;

    /// <summary><c>output = input²</c>; both spans have the input's length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Square(ReadOnlySpan<float> input, Span<float> output)
    {
        int i = 0;
        for (; Wide && i + 8 <= input.Length; i += 8)
        {
            Vector256<float> x = Vector256.Create(input.Slice(i, 8));
            (x * x).CopyTo(output.Slice(i, 8));
        }
        for (; i < input.Length; i++)
        {
            output[i] = input[i] * input[i];
        }
    }

    /// <summary><c>output = √(K·s)</c> for each window average <c>s</c>; the spans may be the same memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Root(ReadOnlySpan<float> average, Span<float> output, int kernelVolume)
    {
        int i = 0;
        for (; Wide && i + 8 <= average.Length; i += 8)
        {
            Vector256.Sqrt(Vector256.Create(average.Slice(i, 8)) * Vector256.Create((float)kernelVolume)).CopyTo(output.Slice(i, 8));
        }
        for (; i < average.Length; i++)
        {
            output[i] = MathF.Sqrt(average[i] * kernelVolume);
        }
    }

    /// <summary>
    /// <c>gradAverage = (g·K)·½ / √(K·s)</c>, computed in double, and zero where <c>s = 0</c> (PyTorch's
    /// <c>relu</c> passes no gradient there). All spans have the output's length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RootBackward(ReadOnlySpan<float> average, ReadOnlySpan<float> gradOutput, Span<float> gradAverage, int kernelVolume)
    {
        int i = 0;
        for (; Wide && i + 8 <= average.Length; i += 8)
        {
            Vector256<float> s = Vector256.Create(average.Slice(i, 8)), volume = Vector256.Create((float)kernelVolume);
            Vector256<float> scaled = Vector256.Create(gradOutput.Slice(i, 8)) * volume, sum = s * volume;
            Vector256<double> half = Vector256.Create(0.5);
            Vector256<float> grad = Vector256.Narrow(
                Vector256.WidenLower(scaled) * half / Vector256.Sqrt(Vector256.WidenLower(sum)),
                Vector256.WidenUpper(scaled) * half / Vector256.Sqrt(Vector256.WidenUpper(sum)));
            Vector256.AndNot(grad, Vector256.Equals(s, Vector256<float>.Zero)).CopyTo(gradAverage.Slice(i, 8));
        }
        for (; i < average.Length; i++)
        {
            float scaled = gradOutput[i] * kernelVolume, sum = average[i] * kernelVolume;
            gradAverage[i] = average[i] == 0f ? 0f : (float)(scaled * 0.5 / Math.Sqrt(sum));
        }
    }

    /// <summary>
    /// Chain rule through <see cref="Square"/>: <c>grad = 2·grad·x</c> in place, where
    /// <paramref name="grad"/> holds the gradient with respect to <c>x²</c> on entry.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SquareBackwardInPlace(ReadOnlySpan<float> input, Span<float> grad)
    {
        int i = 0;
        for (; Wide && i + 8 <= input.Length; i += 8)
        {
            TwiceProduct(Vector256.Create(grad.Slice(i, 8)), Vector256.Create(input.Slice(i, 8))).CopyTo(grad.Slice(i, 8));
        }
        for (; i < input.Length; i++)
        {
            grad[i] = TwiceProduct(grad[i], input[i]);
        }
    }

    /// <summary>
    /// <c>float(2·g·x)</c> rounded once: <c>(2g)·x</c> when doubling <c>g</c> is exact, else
    /// <c>g·(2x)</c> (then <c>|g| ≥ 2¹²⁷</c>, so either <c>2x</c> is exact or the product overflows anyway).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float TwiceProduct(float g, float x) => MathF.Abs(g) < Doublable ? (g + g) * x : g * (x + x);

    /// <inheritdoc cref="TwiceProduct(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> TwiceProduct(Vector256<float> g, Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(g), Vector256.Create(Doublable)), (g + g) * x, g * (x + x));

    /// <inheritdoc cref="TwiceProduct(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> TwiceProduct(Vector128<float> g, Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.LessThan(Vector128.Abs(g), Vector128.Create(Doublable)), (g + g) * x, g * (x + x));
}
