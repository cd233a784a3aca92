using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Convolve.Kernels;

/// <summary>
/// Packing of a full panel whose source lines are contiguous along k (A not transposed, B
/// transposed): the panel is the transpose of the source block, done four (or two) lines and four
/// k-steps at a time in registers on x86, one element at a time elsewhere.
/// </summary>
internal static unsafe class GemmTranspose
{
    /// <summary>
    /// A full panel contiguous along p (A not transposed, B transposed): four lines at a time are
    /// read four k-steps at a time and transposed in registers (x86); other lines are spread one by one.
    /// </summary>
    public static void TransposeLines(float* src, nint rStride, int kc, int width, float* dst)
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

    /// <summary>
    /// Four lines into four adjacent columns of the panel, through 4×4 register transposes:
    /// <c>dst[p·width + r] = src[r·rStride + p]</c> for r &lt; 4, p &lt; kc (SSE required).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TransposeFourLines(float* src, nint rStride, int kc, int width, float* dst)
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
}
