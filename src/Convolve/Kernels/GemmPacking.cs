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
        for (int r0 = 0; r0 < extent; r0 += width, dst += (nint)width * kc)
        {
            int count = Math.Min(width, extent - r0);
            float* panel = src + r0 * rStride;
            if (rStride == 1 && count == width)
            {
                CopyLines(panel, pStride, kc, width, dst);
            }
            else
            {
                Gather(panel, rStride, pStride, count, kc, width, dst);
            }
        }
    }

    /// <summary>The panel is contiguous along r (A transposed, B not): one short copy per k-step.</summary>
    private static void CopyLines(float* src, nint pStride, int kc, int width, float* dst)
    {
        for (int p = 0; p < kc; p++, src += pStride, dst += width)
        {
            int q = 0;
            for (; q <= width - 4; q += 4)
            {
                Vector128.Store(Vector128.Load(src + q), dst + q);
            }
            for (; q < width; q++)
            {
                dst[q] = src[q];
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
