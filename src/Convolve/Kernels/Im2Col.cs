using System.Runtime.CompilerServices;

namespace Convolve.Kernels;

/// <summary>
/// Lowers one image to its column matrix so that a convolution becomes one GEMM (Chellapilla,
/// Puri &amp; Simard 2006; Caffe's layout). For an image of <c>channels</c> planes of
/// <c>InD·InH·InW</c> the columns are <c>[channels·KD·KH·KW, OutD·OutH·OutW]</c>, row
/// <c>((c·KD + kd)·KH + kh)·KW + kw</c>, column the output position; element
/// <c>image[c, od·SD − PD + kd·DD, oh·SH − PH + kh·DH, ow·SW − PW + kw·DW]</c>, zero where that
/// position lies in the padding.
/// </summary>
public static class Im2Col
{
    /// <summary>Writes every element of <paramref name="columns"/> from <paramref name="image"/>.</summary>
    /// <param name="image">Shape [channels, InD, InH, InW].</param>
    /// <param name="channels">Number of image planes.</param>
    /// <param name="window">Sizes, kernel, stride, padding and dilation.</param>
    /// <param name="columns">Shape [channels·KD·KH·KW, OutD·OutH·OutW].</param>
    public static void Run(ReadOnlySpan<float> image, int channels, in Window3 window, Span<float> columns) =>
        Run(image, channels, window, columns, window.OutputPlane);

    /// <summary>
    /// Writes the column matrix with rows <paramref name="columnStride"/> elements apart, so that
    /// the columns of several images can sit side by side in one wide matrix and one GEMM.
    /// </summary>
    /// <param name="image">Shape [channels, InD, InH, InW].</param>
    /// <param name="channels">Number of image planes.</param>
    /// <param name="window">Sizes, kernel, stride, padding and dilation.</param>
    /// <param name="columns">The rows of [channels·KD·KH·KW, OutD·OutH·OutW] with the given stride: (rows − 1)·stride + OutD·OutH·OutW elements.</param>
    /// <param name="columnStride">Elements from one column row to the next; at least OutD·OutH·OutW.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ReadOnlySpan<float> image, int channels, in Window3 window, Span<float> columns, int columnStride)
    {
        Validate(image.Length, channels, window, columns.Length, nameof(Im2Col), columnStride);
        int inputPlane = window.InputPlane, outputPlane = window.OutputPlane, taps = window.KernelVolume;
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> plane = image.Slice(c * inputPlane, inputPlane);
            for (int tap = 0; tap < taps; tap++)
            {
                LowerTap(plane, window, tap, columns.Slice((c * taps + tap) * columnStride, outputPlane));
            }
        }
    }

    /// <summary>Fills one column row: the input seen by one kernel tap at every output position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LowerTap(ReadOnlySpan<float> plane, in Window3 w, int tap, Span<float> row)
    {
        int kw = tap % w.KW, kh = tap / w.KW % w.KH, kd = tap / (w.KW * w.KH);
        var (d0, d1) = TapRange.Of(w.OutD, w.InD, w.SD, w.PD, kd * w.DD);
        var (h0, h1) = TapRange.Of(w.OutH, w.InH, w.SH, w.PH, kh * w.DH);
        var (w0, w1) = TapRange.Of(w.OutW, w.InW, w.SW, w.PW, kw * w.DW);
        int iw0 = TapRange.InputPosition(w0, w.SW, w.PW, kw * w.DW);
        int slabSize = w.OutH * w.OutW;
        for (int od = 0; od < w.OutD; od++)
        {
            Span<float> slab = row.Slice(od * slabSize, slabSize);
            if (od < d0 || od >= d1 || h0 == h1 || w0 == w1)
            {
                slab.Clear();
                continue;
            }
            int id = TapRange.InputPosition(od, w.SD, w.PD, kd * w.DD);
            slab[..(h0 * w.OutW)].Clear();
            slab[(h1 * w.OutW)..].Clear();
            for (int oh = h0; oh < h1; oh++)
            {
                int ih = TapRange.InputPosition(oh, w.SH, w.PH, kh * w.DH);
                Span<float> line = slab.Slice(oh * w.OutW, w.OutW);
                line[..w0].Clear();
                StridedRow.Gather(plane.Slice((id * w.InH + ih) * w.InW, w.InW), iw0, w.SW, line[w0..w1]);
                line[w1..].Clear();
            }
        }
    }

    /// <summary>
    /// Checks the window and that both spans have exactly the lengths the window implies, so a
    /// mismatch fails loudly instead of reading or writing a neighbouring image.
    /// </summary>
    internal static void Validate(int imageLength, int channels, in Window3 w, int columnsLength, string kernel, int columnStride)
    {
        if (columnStride < w.OutputPlane)
        {
            throw new ArgumentException($"{kernel}: the column stride ({columnStride}) must be at least the output plane ({w.OutputPlane}) of {w}");
        }
        if (channels < 0 || w.InD < 0 || w.InH < 0 || w.InW < 0 || w.OutD < 0 || w.OutH < 0 || w.OutW < 0)
        {
            throw new ArgumentException($"{kernel}: channels and sizes must be non-negative but got channels {channels}, {w}");
        }
        if (w.KD < 1 || w.KH < 1 || w.KW < 1 || w.SD < 1 || w.SH < 1 || w.SW < 1 || w.DD < 1 || w.DH < 1 || w.DW < 1)
        {
            throw new ArgumentException($"{kernel}: kernel, stride and dilation must be positive but got {w}");
        }
        long rows = (long)channels * w.KernelVolume;
        long imageSize = (long)channels * w.InputPlane, columnsSize = rows == 0 ? 0 : (rows - 1) * columnStride + w.OutputPlane;
        if (imageLength != imageSize || columnsLength != columnsSize)
        {
            throw new ArgumentException(
                $"{kernel}: {channels} channels of {w} need an image of {imageSize} and columns of {columnsSize} elements but got {imageLength} and {columnsLength}");
        }
    }
}
