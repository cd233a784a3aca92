using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Convolve.Kernels;

/// <summary>
/// The common 2×2, stride-2 average pooling (the geometry of <see cref="PoolingMax2x2.Applies"/>),
/// bit-identical to <see cref="PoolingAverage"/>: the taps are summed from zero in row-major order,
/// <c>((0 + a) + b) + c) + d</c> (the leading zero turns an all-−0 window into +0, as there), and
/// the sum is multiplied by ¼, which rounds exactly like dividing by 4. Every window lies inside the
/// input, so the divisor is 4 with or without counting padding. With AVX2 eight windows go at once.
/// <see cref="Forward"/> can square the taps first, the <c>p = 2</c> power of Lp pooling, which is
/// then bit-identical to squaring into a buffer and average-pooling that.
/// </summary>
public static class PoolingAverage2x2
{
    /// <summary>True when <paramref name="window"/> is 2-d, 2×2 with stride 2, no padding, and every window lies inside the input.</summary>
    public static bool Applies(in Window3 window) => PoolingMax2x2.Applies(window);

    private static bool Wide => Simd.Level >= SimdLevel.Vector256 && Avx2.IsSupported;

    /// <summary>
    /// Writes the window averages (of the squared taps when <paramref name="square"/>).
    /// Shapes: input <c>[planes, InH, InW]</c>, output <c>[planes, OutH, OutW]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> input, Span<float> output, int planes, in Window3 window, bool square)
    {
        int inPlane = window.InputPlane, outPlane = window.OutputPlane, inW = window.InW, outW = window.OutW;
        int rows = planes * window.OutH;
        for (int row = 0; row < rows; row++)
        {
            int top = row / window.OutH * inPlane + 2 * (row % window.OutH) * inW, o = row / window.OutH * outPlane + row % window.OutH * outW;
            // The vector step overlaps the previous one at the row's end rather than leaving a scalar tail; it rewrites the same values.
            int ow = Wide && outW >= 8 ? outW : 0;
            for (int at = 0; at < ow; at += 8)
            {
                int step = Math.Min(at, outW - 8);
                Sum256(input.Slice(top + 2 * step, 16), input.Slice(top + inW + 2 * step, 16), square).CopyTo(output.Slice(o + step, 8));
            }
            for (; ow < outW; ow++)
            {
                int first = top + 2 * ow;
                float a = input[first], b = input[first + 1], c = input[first + inW], d = input[first + inW + 1];
                output[o + ow] = square
                    ? (0f + a * a + b * b + c * c + d * d) * 0.25f
                    : (0f + a + b + c + d) * 0.25f;
            }
        }
    }

    /// <summary>
    /// Adds a quarter of each output gradient into the four input elements of its window (input
    /// elements in no window are left as they are). Shapes as in <see cref="Forward"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardAdd(ReadOnlySpan<float> gradOutput, Span<float> gradInput, int planes, in Window3 window)
    {
        int inPlane = window.InputPlane, outPlane = window.OutputPlane, inW = window.InW, outW = window.OutW;
        int rows = planes * window.OutH;
        for (int row = 0; row < rows; row++)
        {
            int top = row / window.OutH * inPlane + 2 * (row % window.OutH) * inW, o = row / window.OutH * outPlane + row % window.OutH * outW;
            int ow = 0;
            // No overlapping last step here: adding is not idempotent, so the last few windows go one by one.
            for (; Wide && ow + 8 <= outW; ow += 8)
            {
                var (left, right) = Spread256(Vector256.Create(gradOutput.Slice(o + ow, 8)) * Vector256.Create(0.25f));
                Add(gradInput.Slice(top + 2 * ow, 16), left, right);
                Add(gradInput.Slice(top + inW + 2 * ow, 16), left, right);
            }
            for (; ow < outW; ow++)
            {
                float share = gradOutput[o + ow] * 0.25f;
                int first = top + 2 * ow;
                gradInput[first] += share;
                gradInput[first + 1] += share;
                gradInput[first + inW] += share;
                gradInput[first + inW + 1] += share;
            }
        }
    }

    /// <summary>Eight window sums times ¼ from the two 16-float input rows under them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Sum256(ReadOnlySpan<float> topRow, ReadOnlySpan<float> bottomRow, bool square)
    {
        var (topEven, topOdd) = Split(topRow);
        var (bottomEven, bottomOdd) = Split(bottomRow);
        if (square)
        {
            (topEven, topOdd, bottomEven, bottomOdd) = (topEven * topEven, topOdd * topOdd, bottomEven * bottomEven, bottomOdd * bottomOdd);
        }
        Vector256<float> sum = Vector256<float>.Zero + topEven + topOdd + bottomEven + bottomOdd;
        // The lanes are in the shuffled order w0 w1 w4 w5 | w2 w3 w6 w7; one 64-bit permute restores it.
        return Avx2.Permute4x64((sum * Vector256.Create(0.25f)).AsDouble(), 0b11_01_10_00).AsSingle();
    }

    /// <summary>
    /// The even- and odd-position elements of 16 consecutive floats, both in the lane order
    /// 0 2 8 10 | 4 6 12 14 (resp. 1 3 9 11 | 5 7 13 15) that an in-lane shuffle gives; the
    /// caller restores the order once, after the arithmetic.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Even, Vector256<float> Odd) Split(ReadOnlySpan<float> values)
    {
        Vector256<float> low = Vector256.Create(values[..8]), high = Vector256.Create(values.Slice(8, 8));
        return (Avx.Shuffle(low, high, 0b10_00_10_00), Avx.Shuffle(low, high, 0b11_01_11_01));
    }

    /// <summary>Eight values each repeated twice, as 16 floats in order: the left and right 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector256<float> Left, Vector256<float> Right) Spread256(Vector256<float> values) =>
        (Avx2.PermuteVar8x32(values, Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3)), Avx2.PermuteVar8x32(values, Vector256.Create(4, 4, 5, 5, 6, 6, 7, 7)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(Span<float> target, Vector256<float> left, Vector256<float> right)
    {
        (Vector256.Create(target[..8]) + left).CopyTo(target[..8]);
        (Vector256.Create(target.Slice(8, 8)) + right).CopyTo(target.Slice(8, 8));
    }
}
