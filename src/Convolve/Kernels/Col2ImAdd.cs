using System.Runtime.CompilerServices;

namespace Convolve.Kernels;

/// <summary>
/// The adjoint of <see cref="Im2Col"/>: scatters a column matrix back onto an image, adding
/// every column element into the image position it was read from (so overlapping windows
/// accumulate) and dropping the elements that came from zero padding. It is the last step of
/// convolution's input gradient and of transposed convolution's forward pass; like ATen's
/// <c>unfolded2d_acc</c>, it accumulates, so the caller zeroes the image first when it wants a
/// plain result.
/// </summary>
public static class Col2ImAdd
{
    /// <summary>Adds <paramref name="columns"/> into <paramref name="image"/>.</summary>
    /// <param name="columns">Shape [channels·KD·KH·KW, OutD·OutH·OutW], laid out as in <see cref="Im2Col"/>.</param>
    /// <param name="channels">Number of image planes.</param>
    /// <param name="window">Sizes, kernel, stride, padding and dilation.</param>
    /// <param name="image">Shape [channels, InD, InH, InW]; accumulated into.</param>
    public static void Run(ReadOnlySpan<float> columns, int channels, in Window3 window, Span<float> image) =>
        Run(columns, window.OutputPlane, channels, window, image);

    /// <summary>Adds <paramref name="columns"/>, whose rows lie <paramref name="columnStride"/> elements apart, into <paramref name="image"/>.</summary>
    /// <param name="columns">The rows of [channels·KD·KH·KW, OutD·OutH·OutW] with the given stride: (rows − 1)·stride + OutD·OutH·OutW elements.</param>
    /// <param name="columnStride">Elements from one column row to the next; at least OutD·OutH·OutW.</param>
    /// <param name="channels">Number of image planes.</param>
    /// <param name="window">Sizes, kernel, stride, padding and dilation.</param>
    /// <param name="image">Shape [channels, InD, InH, InW]; accumulated into.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ReadOnlySpan<float> columns, int columnStride, int channels, in Window3 window, Span<float> image)
    {
        Im2Col.Validate(image.Length, channels, window, columns.Length, nameof(Col2ImAdd), columnStride);
        int inputPlane = window.InputPlane, outputPlane = window.OutputPlane, taps = window.KernelVolume;
        for (int c = 0; c < channels; c++)
        {
            Span<float> plane = image.Slice(c * inputPlane, inputPlane);
            for (int tap = 0; tap < taps; tap++)
            {
                RaiseTap(columns.Slice((c * taps + tap) * columnStride, outputPlane), window, tap, plane);
            }
        }
    }

    /// <summary>Adds one column row back into the input positions its kernel tap read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RaiseTap(ReadOnlySpan<float> row, in Window3 w, int tap, Span<float> plane)
    {
        int kw = tap % w.KW, kh = tap / w.KW % w.KH, kd = tap / (w.KW * w.KH);
        var (d0, d1) = TapRange.Of(w.OutD, w.InD, w.SD, w.PD, kd * w.DD);
        var (h0, h1) = TapRange.Of(w.OutH, w.InH, w.SH, w.PH, kh * w.DH);
        var (w0, w1) = TapRange.Of(w.OutW, w.InW, w.SW, w.PW, kw * w.DW);
        if (w0 == w1)
        {
            return;
        }
        int iw0 = TapRange.InputPosition(w0, w.SW, w.PW, kw * w.DW);
        for (int od = d0; od < d1; od++)
        {
            int id = TapRange.InputPosition(od, w.SD, w.PD, kd * w.DD);
            for (int oh = h0; oh < h1; oh++)
            {
                int ih = TapRange.InputPosition(oh, w.SH, w.PH, kh * w.DH);
                ReadOnlySpan<float> line = row.Slice((od * w.OutH + oh) * w.OutW + w0, w1 - w0);
                StridedRow.ScatterAdd(line, plane.Slice((id * w.InH + ih) * w.InW, w.InW), iw0, w.SW);
            }
        }
    }
}
