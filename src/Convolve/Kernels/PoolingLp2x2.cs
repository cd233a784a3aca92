using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Convolve.Kernels;

/// <summary>
/// The backward pass of 2×2 stride-2 Lp pooling with <c>p = 2</c> from the window-average gradient
/// on, in one sweep: the average pool's backward into a zeroed gradient
/// (<see cref="PoolingAverage2x2.BackwardAdd"/>) followed by <see cref="PoolingLp2.SquareBackwardInPlace"/>,
/// giving the same floats without a second pass over the input-sized gradient.
/// </summary>
public static class PoolingLp2x2
{
    /// <summary>
    /// Writes <c>gradInput = 2·(0 + gradAverage/4)·x</c> at every tap of every window, and
    /// <c>2·0·x</c> (a signed zero, or NaN where <c>x</c> is not finite) at input elements in no
    /// window. Shapes: input and gradInput <c>[planes, InH, InW]</c>, gradAverage <c>[planes, OutH, OutW]</c>;
    /// <paramref name="window"/> must satisfy <see cref="PoolingAverage2x2.Applies"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SquareBackward(ReadOnlySpan<float> gradAverage, ReadOnlySpan<float> input, Span<float> gradInput, int planes, in Window3 window)
    {
        int inPlane = window.InputPlane, outPlane = window.OutputPlane, inW = window.InW, outW = window.OutW;
        bool wide = Simd.Level >= SimdLevel.Vector256 && Avx2.IsSupported && outW >= 8;
        bool narrow = !wide && Simd.Level >= SimdLevel.Vector128 && Sse.IsSupported && outW >= 4;
        for (int plane = 0; plane < planes; plane++)
        {
            for (int oh = 0; oh < window.OutH; oh++)
            {
                int top = plane * inPlane + 2 * oh * inW, o = plane * outPlane + oh * outW;
                // Each write depends only on its inputs, so the last vector step may overlap the previous one.
                for (int at = 0; wide && at < outW; at += 8)
                {
                    int step = Math.Min(at, outW - 8), first = top + 2 * step;
                    var (left, right) = PairLanes.Spread(Vector256<float>.Zero + Vector256.Create(gradAverage.Slice(o + step, 8)) * Vector256.Create(0.25f));
                    Write(input.Slice(first, 16), gradInput.Slice(first, 16), left, right);
                    Write(input.Slice(first + inW, 16), gradInput.Slice(first + inW, 16), left, right);
                }
                for (int at = 0; narrow && at < outW; at += 4)
                {
                    int step = Math.Min(at, outW - 4), first = top + 2 * step;
                    var (left, right) = PairLanes.Spread(Vector128<float>.Zero + Vector128.Create(gradAverage.Slice(o + step, 4)) * Vector128.Create(0.25f));
                    Write(input.Slice(first, 8), gradInput.Slice(first, 8), left, right);
                    Write(input.Slice(first + inW, 8), gradInput.Slice(first + inW, 8), left, right);
                }
                for (int ow = wide || narrow ? outW : 0; ow < outW; ow++)
                {
                    float share = 0f + gradAverage[o + ow] * 0.25f;
                    int first = top + 2 * ow;
                    gradInput[first] = PoolingLp2.TwiceProduct(share, input[first]);
                    gradInput[first + 1] = PoolingLp2.TwiceProduct(share, input[first + 1]);
                    gradInput[first + inW] = PoolingLp2.TwiceProduct(share, input[first + inW]);
                    gradInput[first + inW + 1] = PoolingLp2.TwiceProduct(share, input[first + inW + 1]);
                }
            }
            Uncovered(input.Slice(plane * inPlane, inPlane), gradInput.Slice(plane * inPlane, inPlane), window);
        }
    }

    /// <summary>The right columns and bottom rows no window reaches: their gradient is <c>2·0·x</c>.</summary>
    private static void Uncovered(ReadOnlySpan<float> input, Span<float> gradInput, in Window3 window)
    {
        int inW = window.InW, coveredW = 2 * window.OutW, coveredH = 2 * window.OutH;
        for (int y = 0; y < window.InH; y++)
        {
            for (int x = y < coveredH ? coveredW : 0; x < inW; x++)
            {
                gradInput[y * inW + x] = PoolingLp2.TwiceProduct(0f, input[y * inW + x]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(ReadOnlySpan<float> input, Span<float> gradInput, Vector256<float> left, Vector256<float> right)
    {
        PoolingLp2.TwiceProduct(left, Vector256.Create(input[..8])).CopyTo(gradInput[..8]);
        PoolingLp2.TwiceProduct(right, Vector256.Create(input.Slice(8, 8))).CopyTo(gradInput.Slice(8, 8));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(ReadOnlySpan<float> input, Span<float> gradInput, Vector128<float> left, Vector128<float> right)
    {
        PoolingLp2.TwiceProduct(left, Vector128.Create(input[..4])).CopyTo(gradInput[..4]);
        PoolingLp2.TwiceProduct(right, Vector128.Create(input.Slice(4, 4))).CopyTo(gradInput.Slice(4, 4));
    }
}
