using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
            else if (pStride == 1 && count == width)
            {
                TransposeLines(panel, rStride, kc, width, dst);
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
            if (q + 2 <= width)
            {
                // The two-float remainder of a 6- or 2-wide panel in one 8-byte move.
                *(long*)(dst + q) = *(long*)(src + q);
                q += 2;
            }
            for (; q < width; q++)
            {
                dst[q] = src[q];
            }
        }
    }

    /// <summary>
    /// A full panel contiguous along p (A not transposed, B transposed): four lines at a time are
    /// read four k-steps at a time and transposed in registers (x86); other lines are spread one by one.
    /// </summary>
    private static void TransposeLines(float* src, nint rStride, int kc, int width, float* dst)
    {
        int r = 0;
        if (Sse.IsSupported)
        {
            for (; r <= width - 4; r += 4)
            {
                TransposeFourLines(src + r * rStride, rStride, kc, width, dst + r);
            }
            for (; r <= width - 2; r += 2)
            {
                TransposeTwoLines(src + r * rStride, rStride, kc, width, dst + r);
            }
        }
        for (; r < width; r++)
        {
            float* line = src + r * rStride, target = dst + r;
            for (int p = 0; p < kc; p++, target += width)
            {
                *target = line[p];
            }
        }
    }

    /// <summary>Four lines into four adjacent columns of the panel, through 4×4 register transposes.</summary>
    private static void TransposeFourLines(float* src, nint rStride, int kc, int width, float* dst)
    {
        float* line0 = src, line1 = src + rStride, line2 = src + 2 * rStride, line3 = src + 3 * rStride;
        int p = 0;
        for (; p <= kc - 4; p += 4, dst += 4 * width)
        {
            Vector128<float> v0 = Vector128.Load(line0 + p), v1 = Vector128.Load(line1 + p);
            Vector128<float> v2 = Vector128.Load(line2 + p), v3 = Vector128.Load(line3 + p);
            Vector128<float> low01 = Sse.UnpackLow(v0, v1), low23 = Sse.UnpackLow(v2, v3);
            Vector128<float> high01 = Sse.UnpackHigh(v0, v1), high23 = Sse.UnpackHigh(v2, v3);
            Sse.MoveLowToHigh(low01, low23).Store(dst);
            Sse.MoveHighToLow(low23, low01).Store(dst + width);
            Sse.MoveLowToHigh(high01, high23).Store(dst + 2 * width);
            Sse.MoveHighToLow(high23, high01).Store(dst + 3 * width);
        }
        for (; p < kc; p++, dst += width)
        {
            dst[0] = line0[p];
            dst[1] = line1[p];
            dst[2] = line2[p];
            dst[3] = line3[p];
        }
    }

    /// <summary>Two lines into two adjacent columns of the panel (the remainder of MR = 6), two floats per store.</summary>
    private static void TransposeTwoLines(float* src, nint rStride, int kc, int width, float* dst)
    {
        float* line0 = src, line1 = src + rStride;
        int p = 0;
        for (; p <= kc - 4; p += 4, dst += 4 * width)
        {
            Vector128<float> v0 = Vector128.Load(line0 + p), v1 = Vector128.Load(line1 + p);
            Vector128<float> low = Sse.UnpackLow(v0, v1), high = Sse.UnpackHigh(v0, v1);
            Sse.StoreLow(dst, low);
            Sse.StoreHigh(dst + width, low);
            Sse.StoreLow(dst + 2 * width, high);
            Sse.StoreHigh(dst + 3 * width, high);
        }
        for (; p < kc; p++, dst += width)
        {
            dst[0] = line0[p];
            dst[1] = line1[p];
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
