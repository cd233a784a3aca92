using System.Runtime.CompilerServices;

namespace Convolve.Kernels;

/// <summary>
/// Average pooling over <c>planes</c> independent (n, c) planes of shape <c>[D, H, W]</c>
/// described by a <see cref="Window3"/> (dilation is ignored: average pooling has none). The
/// divisor follows PyTorch: with <c>countIncludePad</c> it is the size of the window clipped to
/// <c>[−pad, in + pad)</c>, so a ceil-mode window that reaches past the right padding is divided
/// by less than the kernel volume; otherwise it is the number of input elements in the window.
/// The sum always covers the window clipped to the input. The common 2×2 stride-2 geometry goes to
/// <see cref="PoolingAverage2x2"/>, which gives the same floats. A window of more than four taps is
/// summed in double (issue 17: a float sum of 25 values near 30 lost 7e-4 of a spread of 0.01, a
/// global pool of 784 values 3e-3); up to four taps are summed in float from zero in row-major order,
/// as the fast path does (at most three roundings of the partial sums).
/// </summary>
public static class PoolingAverage
{
    /// <summary>Writes the window averages. Shapes: input <c>[planes, InD, InH, InW]</c>, output <c>[planes, OutD, OutH, OutW]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> input, Span<float> output, int planes, in Window3 window, bool countIncludePad)
    {
        if (PoolingAverage2x2.Applies(window))
        {
            PoolingAverage2x2.Forward(input, output, planes, window, square: false);
            return;
        }
        ForwardWindows(input, output, planes, window, countIncludePad);
    }

    /// <summary>The general loop of <see cref="Forward"/>, for any window (the fast path's twin in tests).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ForwardWindows(ReadOnlySpan<float> input, Span<float> output, int planes, in Window3 window, bool countIncludePad)
    {
        int inPlane = window.InputPlane, outPlane = window.OutputPlane;
        for (int plane = 0; plane < planes; plane++)
        {
            ReadOnlySpan<float> inputPlane = input.Slice(plane * inPlane, inPlane);
            Span<float> outputPlane = output.Slice(plane * outPlane, outPlane);
            int o = 0;
            for (int od = 0; od < window.OutD; od++)
            {
                var d = Range(od, window.SD, window.PD, window.KD, window.InD);
                for (int oh = 0; oh < window.OutH; oh++)
                {
                    var h = Range(oh, window.SH, window.PH, window.KH, window.InH);
                    for (int ow = 0; ow < window.OutW; ow++, o++)
                    {
                        var w = Range(ow, window.SW, window.PW, window.KW, window.InW);
                        outputPlane[o] = Average(inputPlane, window, d, h, w, Divisor(d, h, w, countIncludePad));
                    }
                }
            }
        }
    }

    /// <summary>
    /// Adds each output gradient, divided by its window's divisor, into every input element the
    /// window sums. Shapes as in <see cref="Forward"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardAdd(ReadOnlySpan<float> gradOutput, Span<float> gradInput, int planes, in Window3 window, bool countIncludePad)
    {
        if (PoolingAverage2x2.Applies(window))
        {
            PoolingAverage2x2.BackwardAdd(gradOutput, gradInput, planes, window);
            return;
        }
        BackwardAddWindows(gradOutput, gradInput, planes, window, countIncludePad);
    }

    /// <summary>The general loop of <see cref="BackwardAdd"/>, for any window (the fast path's twin in tests).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void BackwardAddWindows(ReadOnlySpan<float> gradOutput, Span<float> gradInput, int planes, in Window3 window, bool countIncludePad)
    {
        int inPlane = window.InputPlane, outPlane = window.OutputPlane;
        for (int plane = 0; plane < planes; plane++)
        {
            Span<float> gradInputPlane = gradInput.Slice(plane * inPlane, inPlane);
            ReadOnlySpan<float> gradOutputPlane = gradOutput.Slice(plane * outPlane, outPlane);
            int o = 0;
            for (int od = 0; od < window.OutD; od++)
            {
                var d = Range(od, window.SD, window.PD, window.KD, window.InD);
                for (int oh = 0; oh < window.OutH; oh++)
                {
                    var h = Range(oh, window.SH, window.PH, window.KH, window.InH);
                    for (int ow = 0; ow < window.OutW; ow++, o++)
                    {
                        var w = Range(ow, window.SW, window.PW, window.KW, window.InW);
                        Spread(gradInputPlane, window, d, h, w, gradOutputPlane[o] / Divisor(d, h, w, countIncludePad));
                    }
                }
            }
        }
    }

    private static Extent Range(int o, int stride, int padding, int kernel, int input)
    {
        int start = o * stride - padding;
        int end = Math.Min(start + kernel, input + padding);
        return new Extent(Math.Max(start, 0), Math.Min(end, input), end - start);
    }

    private static float Divisor(Extent d, Extent h, Extent w, bool countIncludePad) => countIncludePad
        ? d.PaddedLength * h.PaddedLength * w.PaddedLength
        : (d.End - d.First) * (h.End - h.First) * (w.End - w.First);

    /// <summary>The window's sum divided by <paramref name="divisor"/>: in float for up to four taps, else in double.</summary>
    private static float Average(ReadOnlySpan<float> input, in Window3 window, Extent d, Extent h, Extent w, float divisor) =>
        (d.End - d.First) * (h.End - h.First) * (w.End - w.First) <= 4
            ? Sum<float>(input, window, d, h, w) / divisor
            : (float)(Sum<double>(input, window, d, h, w) / divisor);

    /// <summary>The sum of the window's taps from zero in row-major order, accumulated in <typeparamref name="T"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Sum<T>(ReadOnlySpan<float> input, in Window3 window, Extent d, Extent h, Extent w)
        where T : struct, System.Numerics.IFloatingPoint<T>
    {
        T sum = T.Zero;
        for (int z = d.First; z < d.End; z++)
        {
            for (int y = h.First; y < h.End; y++)
            {
                ReadOnlySpan<float> row = input.Slice((z * window.InH + y) * window.InW + w.First, w.End - w.First);
                for (int x = 0; x < row.Length; x++)
                {
                    sum += T.CreateTruncating(row[x]);
                }
            }
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Spread(Span<float> gradInput, in Window3 window, Extent d, Extent h, Extent w, float share)
    {
        for (int z = d.First; z < d.End; z++)
        {
            for (int y = h.First; y < h.End; y++)
            {
                Span<float> row = gradInput.Slice((z * window.InH + y) * window.InW + w.First, w.End - w.First);
                for (int x = 0; x < row.Length; x++)
                {
                    row[x] += share;
                }
            }
        }
    }

    /// <summary>One dimension of a window: <c>[First, End)</c> clipped to the input, and its length clipped to the padded input.</summary>
    private readonly record struct Extent(int First, int End, int PaddedLength);
}
