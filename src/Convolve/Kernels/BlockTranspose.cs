using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Convolve.Kernels;

/// <summary>
/// Square register transposes that move a block of channels × positions between an NCHW image
/// and a channel-blocked frame (<see cref="BlockedRun"/>): 16×16 with AVX-512 (four stages of
/// 64 shuffles: unpack floats, unpack pairs, then two rounds of 128-bit lane shuffles), 8×8 with
/// AVX. <c>dst[j·dstStride + i] = src[i·srcStride + j] (+ add[j])</c>.
/// </summary>
internal static unsafe class BlockTranspose
{
    /// <summary>The 16×16 transpose (AVX-512F); adds <c>add[j]</c> to output row j when <paramref name="add"/> is not null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Square16(float* src, nint srcStride, float* dst, nint dstStride, float* add)
    {
        // Four rows at a time: u[4i + k] holds rows 4i … 4i+3 of columns k, k+4, k+8, k+12, one per 128-bit lane.
        var (u0, u1, u2, u3) = Quad(src, srcStride);
        var (u4, u5, u6, u7) = Quad(src + (4 * srcStride), srcStride);
        var (u8, u9, u10, u11) = Quad(src + (8 * srcStride), srcStride);
        var (u12, u13, u14, u15) = Quad(src + (12 * srcStride), srcStride);
        Columns(u0, u4, u8, u12, dst, dstStride, 0, add);
        Columns(u1, u5, u9, u13, dst, dstStride, 1, add);
        Columns(u2, u6, u10, u14, dst, dstStride, 2, add);
        Columns(u3, u7, u11, u15, dst, dstStride, 3, add);
    }

    /// <summary>The 8×8 transpose (AVX); adds <c>add[j]</c> to output row j when <paramref name="add"/> is not null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Square8(float* src, nint srcStride, float* dst, nint dstStride, float* add)
    {
        // t[i + k] holds rows i … i+3 of columns k and k+4, one per 128-bit lane.
        var (t0, t1, t2, t3) = Quad8(src, srcStride);
        var (t4, t5, t6, t7) = Quad8(src + (4 * srcStride), srcStride);
        Store(dst, dstStride, 0, Avx.Permute2x128(t0, t4, 0x20), add);
        Store(dst, dstStride, 4, Avx.Permute2x128(t0, t4, 0x31), add);
        Store(dst, dstStride, 1, Avx.Permute2x128(t1, t5, 0x20), add);
        Store(dst, dstStride, 5, Avx.Permute2x128(t1, t5, 0x31), add);
        Store(dst, dstStride, 2, Avx.Permute2x128(t2, t6, 0x20), add);
        Store(dst, dstStride, 6, Avx.Permute2x128(t2, t6, 0x31), add);
        Store(dst, dstStride, 3, Avx.Permute2x128(t3, t7, 0x20), add);
        Store(dst, dstStride, 7, Avx.Permute2x128(t3, t7, 0x31), add);
    }

    /// <summary>Four 16-wide rows: pairs of floats, then pairs of pairs, within each 128-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>) Quad(float* src, nint stride)
    {
        Vector512<float> r0 = Vector512.Load(src), r1 = Vector512.Load(src + stride), r2 = Vector512.Load(src + (2 * stride)), r3 = Vector512.Load(src + (3 * stride));
        Vector512<double> t0 = Avx512F.UnpackLow(r0, r1).AsDouble(), t1 = Avx512F.UnpackHigh(r0, r1).AsDouble();
        Vector512<double> t2 = Avx512F.UnpackLow(r2, r3).AsDouble(), t3 = Avx512F.UnpackHigh(r2, r3).AsDouble();
        return (Avx512F.UnpackLow(t0, t2).AsSingle(), Avx512F.UnpackHigh(t0, t2).AsSingle(), Avx512F.UnpackLow(t1, t3).AsSingle(), Avx512F.UnpackHigh(t1, t3).AsSingle());
    }

    /// <summary>Four 8-wide rows, the same within each 128-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>) Quad8(float* src, nint stride)
    {
        Vector256<float> r0 = Vector256.Load(src), r1 = Vector256.Load(src + stride), r2 = Vector256.Load(src + (2 * stride)), r3 = Vector256.Load(src + (3 * stride));
        Vector256<float> a = Avx.UnpackLow(r0, r1), b = Avx.UnpackHigh(r0, r1), c = Avx.UnpackLow(r2, r3), d = Avx.UnpackHigh(r2, r3);
        return (Avx.Shuffle(a, c, 0x44), Avx.Shuffle(a, c, 0xEE), Avx.Shuffle(b, d, 0x44), Avx.Shuffle(b, d, 0xEE));
    }

    /// <summary>Columns k, k+4, k+8, k+12 from the four quads' k-th vectors (rows 0–3, 4–7, 8–11, 12–15).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d, float* dst, nint stride, int k, float* add)
    {
        Vector512<float> x0 = Avx512F.Shuffle4x128(a, b, 0x88), x1 = Avx512F.Shuffle4x128(a, b, 0xDD);
        Vector512<float> x2 = Avx512F.Shuffle4x128(c, d, 0x88), x3 = Avx512F.Shuffle4x128(c, d, 0xDD);
        Store(dst, stride, k, Avx512F.Shuffle4x128(x0, x2, 0x88), add);
        Store(dst, stride, k + 8, Avx512F.Shuffle4x128(x0, x2, 0xDD), add);
        Store(dst, stride, k + 4, Avx512F.Shuffle4x128(x1, x3, 0x88), add);
        Store(dst, stride, k + 12, Avx512F.Shuffle4x128(x1, x3, 0xDD), add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* dst, nint stride, int row, Vector512<float> value, float* add) =>
        (add is null ? value : value + Vector512.Create(add[row])).Store(dst + (row * stride));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* dst, nint stride, int row, Vector256<float> value, float* add) =>
        (add is null ? value : value + Vector256.Create(add[row])).Store(dst + (row * stride));
}
