using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Convolve.Kernels;

/// <summary>
/// The common 2×2, stride-2 average pooling (the geometry of <see cref="PoolingMax2x2.Applies"/>),
/// bit-identical to <see cref="PoolingAverage"/>: the taps are summed from zero in row-major order,
/// <c>((0 + a) + b) + c) + d</c> (the leading zero turns an all-−0 window into +0, as there), and
/// the sum is multiplied by ¼, which rounds exactly like dividing by 4. Every window lies inside the
/// input, so the divisor is 4 with or without counting padding. With AVX2 eight windows go at once,
/// with SSE (rows of 4–7 windows, or the 128-bit level) four.
/// <see cref="Forward"/> can square the taps first, the <c>p = 2</c> power of Lp pooling, which is
/// then bit-identical to squaring into a buffer and average-pooling that.
/// </summary>
public static class PoolingAverage2x2
{
    /// <summary>True when <paramref name="window"/> is 2-d, 2×2 with stride 2, no padding, and every window lies inside the input.</summary>
    public static bool Applies(in Window3 window) => PoolingMax2x2.Applies(window);

    private static bool Wide => Simd.Level >= SimdLevel.Vector256 && Avx2.IsSupported;

    private static bool Narrow => Simd.Level >= SimdLevel.Vector128 && Sse.IsSupported;

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
            ForwardRow(input[top..], inW, output.Slice(o, outW), square);
        }
    }

    /// <summary>One output row from the two input rows starting at <paramref name="input"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRow(ReadOnlySpan<float> input, int inW, Span<float> output, bool square)
    {
        int outW = output.Length, ow = 0;
        // Vector steps overlap the previous one at the row's end rather than leaving a scalar tail; they rewrite the same values.
        if (Wide && outW >= 8)
        {
            for (int at = 0; at < outW; at += 8)
            {
                int step = Math.Min(at, outW - 8);
                Sum256(input.Slice(2 * step, 16), input.Slice(inW + 2 * step, 16), square).CopyTo(output.Slice(step, 8));
            }
            ow = outW;
        }
        else if (Narrow && outW >= 4)
        {
            // Rows of 4–7 windows (a 14×14 plane has 7), or the 128-bit level.
            for (int at = 0; at < outW; at += 4)
            {
                int step = Math.Min(at, outW - 4);
                Sum128(input.Slice(2 * step, 8), input.Slice(inW + 2 * step, 8), square).CopyTo(output.Slice(step, 4));
            }
            ow = outW;
        }
        for (; ow < outW; ow++)
        {
            float a = input[2 * ow], b = input[2 * ow + 1], c = input[inW + 2 * ow], d = input[inW + 2 * ow + 1];
            output[ow] = square
                ? (0f + a * a + b * b + c * c + d * d) * 0.25f
                : (0f + a + b + c + d) * 0.25f;
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
            BackwardRow(gradOutput.Slice(o, outW), gradInput[top..], inW);
        }
    }

    /// <summary>Adds one output row's shares into the two input rows starting at <paramref name="gradInput"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRow(ReadOnlySpan<float> gradOutput, Span<float> gradInput, int inW)
    {
        int ow = 0;
        // No overlapping last step here: adding is not idempotent, so the windows the vectors leave go one by one.
        for (; Wide && ow + 8 <= gradOutput.Length; ow += 8)
        {
            var (left, right) = PairLanes.Spread(Vector256.Create(gradOutput.Slice(ow, 8)) * Vector256.Create(0.25f));
            PairLanes.Add(gradInput.Slice(2 * ow, 16), left, right);
            PairLanes.Add(gradInput.Slice(inW + 2 * ow, 16), left, right);
        }
        for (; Narrow && ow + 4 <= gradOutput.Length; ow += 4)
        {
            Vector128<float> share = Vector128.Create(gradOutput.Slice(ow, 4)) * Vector128.Create(0.25f);
            var (left, right) = PairLanes.Spread(share);
            PairLanes.Add(gradInput.Slice(2 * ow, 8), left, right);
            PairLanes.Add(gradInput.Slice(inW + 2 * ow, 8), left, right);
        }
        for (; ow < gradOutput.Length; ow++)
        {
            float share = gradOutput[ow] * 0.25f;
            gradInput[2 * ow] += share;
            gradInput[2 * ow + 1] += share;
            gradInput[inW + 2 * ow] += share;
            gradInput[inW + 2 * ow + 1] += share;
        }
    }

    /// <summary>Eight window sums times ¼ from the two 16-float input rows under them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Sum256(ReadOnlySpan<float> topRow, ReadOnlySpan<float> bottomRow, bool square)
    {
        var (topEven, topOdd) = PairLanes.Split(topRow);
        var (bottomEven, bottomOdd) = PairLanes.Split(bottomRow);
        if (square)
        {
            (topEven, topOdd, bottomEven, bottomOdd) = (topEven * topEven, topOdd * topOdd, bottomEven * bottomEven, bottomOdd * bottomOdd);
        }
        Vector256<float> sum = Vector256<float>.Zero + topEven + topOdd + bottomEven + bottomOdd;
        // The lanes are in the shuffled order w0 w1 w4 w5 | w2 w3 w6 w7; one 64-bit permute restores it.
        return Avx2.Permute4x64((sum * Vector256.Create(0.25f)).AsDouble(), 0b11_01_10_00).AsSingle();
    }

    /// <summary>Four window sums times ¼ from the two 8-float input rows under them; an in-lane shuffle leaves them in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Sum128(ReadOnlySpan<float> topRow, ReadOnlySpan<float> bottomRow, bool square)
    {
        Vector128<float> topLow = Vector128.Create(topRow[..4]), topHigh = Vector128.Create(topRow.Slice(4, 4));
        Vector128<float> bottomLow = Vector128.Create(bottomRow[..4]), bottomHigh = Vector128.Create(bottomRow.Slice(4, 4));
        Vector128<float> topEven = Sse.Shuffle(topLow, topHigh, 0b10_00_10_00), topOdd = Sse.Shuffle(topLow, topHigh, 0b11_01_11_01);
        Vector128<float> bottomEven = Sse.Shuffle(bottomLow, bottomHigh, 0b10_00_10_00), bottomOdd = Sse.Shuffle(bottomLow, bottomHigh, 0b11_01_11_01);
        if (square)
        {
            (topEven, topOdd, bottomEven, bottomOdd) = (topEven * topEven, topOdd * topOdd, bottomEven * bottomEven, bottomOdd * bottomOdd);
        }
        return (Vector128<float>.Zero + topEven + topOdd + bottomEven + bottomOdd) * Vector128.Create(0.25f);
    }
}
