using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary>
/// BLIS packing: copies a block of op(A) into MR-row panels or a block of op(B) into NR-column
/// panels, each stored k-step by k-step (<c>width</c> consecutive values per step) so that the
/// microkernel reads both operands with unit stride. Partial panels at the edges are zero-padded,
/// which lets the microkernel always compute a full tile. Strides absorb the transposition variants.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs <paramref name="extent"/> lines (indexed by r) of depth <paramref name="kc"/> (indexed by p)
    /// into panels of <paramref name="width"/> lines: <c>dst[panel·width·kc + p·width + r] =
    /// src[(panel·width + r)·rStride + p·pStride]</c>, and 0 for lines past the extent.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(float* src, nint rStride, nint pStride, int extent, int kc, int width, float* dst)
    {
        int fullPanels = extent / width;
        nint panelSize = (nint)width * kc;
        if (rStride == 1)
        {
            CopyPanels(src, pStride, kc, width, fullPanels, dst);
        }
        else
        {
            for (int panel = 0; panel < fullPanels; panel++)
            {
                float* lines = src + panel * width * rStride;
                if (pStride == 1)
                {
                    GemmTranspose.TransposeLines(lines, rStride, kc, width, dst + panel * panelSize);
                }
                else
                {
                    Gather(lines, rStride, pStride, width, kc, width, dst + panel * panelSize);
                }
            }
        }
        int packed = fullPanels * width;
        if (packed < extent)
        {
            Gather(src + packed * rStride, rStride, pStride, extent - packed, kc, width, dst + fullPanels * panelSize);
        }
    }

    /// <summary>
    /// Full panels contiguous along r (A transposed, B not): each source row is read once from left
    /// to right and its pieces appended to every panel, so the source streams sequentially.
    /// </summary>
    private static void CopyPanels(float* src, nint pStride, int kc, int width, int panels, float* dst)
    {
        nint panelSize = (nint)width * kc;
        for (int p = 0; p < kc; p++, src += pStride, dst += width)
        {
            float* from = src, to = dst;
            for (int panel = 0; panel < panels; panel++, from += width, to += panelSize)
            {
                int q = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; q <= width - 8; q += 8)
                    {
                        Vector256.Store(Vector256.Load(from + q), to + q);
                    }
                }
                for (; q <= width - 4; q += 4)
                {
                    Vector128.Store(Vector128.Load(from + q), to + q);
                }
                for (; q < width; q++)
                {
                    to[q] = from[q];
                }
            }
        }
    }

    /// <summary>
    /// The panel is strided along r (A not transposed, B transposed, or an edge): writes stay
    /// sequential while <paramref name="count"/> source lines are read side by side.
    /// </summary>
    private static void Gather(float* src, nint rStride, nint pStride, int count, int kc, int width, float* dst)
    {
        for (int p = 0; p < kc; p++, src += pStride, dst += width)
        {
            int r = 0;
            for (float* line = src; r < count; r++, line += rStride)
            {
                dst[r] = *line;
            }
            for (; r < width; r++)
            {
                dst[r] = 0f;
            }
        }
    }
}
