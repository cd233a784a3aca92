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
        var u = stackalloc Vector512<float>[16];
        for (int i = 0; i < 16; i += 4)
        {
            // Rows i … i+3: pairs of floats, then pairs of pairs, within each 128-bit lane.
            Vector512<float> r0 = Vector512.Load(src + (i * srcStride)), r1 = Vector512.Load(src + ((i + 1) * srcStride));
            Vector512<float> r2 = Vector512.Load(src + ((i + 2) * srcStride)), r3 = Vector512.Load(src + ((i + 3) * srcStride));
            Vector512<double> t0 = Avx512F.UnpackLow(r0, r1).AsDouble(), t1 = Avx512F.UnpackHigh(r0, r1).AsDouble();
            Vector512<double> t2 = Avx512F.UnpackLow(r2, r3).AsDouble(), t3 = Avx512F.UnpackHigh(r2, r3).AsDouble();
            u[i] = Avx512F.UnpackLow(t0, t2).AsSingle();
            u[i + 1] = Avx512F.UnpackHigh(t0, t2).AsSingle();
            u[i + 2] = Avx512F.UnpackLow(t1, t3).AsSingle();
            u[i + 3] = Avx512F.UnpackHigh(t1, t3).AsSingle();
        }
        // u[4i + k] holds rows 4i … 4i+3 of columns k, k+4, k+8, k+12 (one per 128-bit lane).
        for (int k = 0; k < 4; k++)
        {
            Vector512<float> x0 = Avx512F.Shuffle4x128(u[k], u[4 + k], 0x88), x1 = Avx512F.Shuffle4x128(u[k], u[4 + k], 0xDD);
            Vector512<float> x2 = Avx512F.Shuffle4x128(u[8 + k], u[12 + k], 0x88), x3 = Avx512F.Shuffle4x128(u[8 + k], u[12 + k], 0xDD);
            Store(dst, dstStride, k, Avx512F.Shuffle4x128(x0, x2, 0x88), add);
            Store(dst, dstStride, k + 8, Avx512F.Shuffle4x128(x0, x2, 0xDD), add);
            Store(dst, dstStride, k + 4, Avx512F.Shuffle4x128(x1, x3, 0x88), add);
            Store(dst, dstStride, k + 12, Avx512F.Shuffle4x128(x1, x3, 0xDD), add);
        }
    }

    /// <summary>The 8×8 transpose (AVX); adds <c>add[j]</c> to output row j when <paramref name="add"/> is not null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Square8(float* src, nint srcStride, float* dst, nint dstStride, float* add)
    {
        var t = stackalloc Vector256<float>[8];
        for (int i = 0; i < 8; i += 4)
        {
            Vector256<float> r0 = Vector256.Load(src + (i * srcStride)), r1 = Vector256.Load(src + ((i + 1) * srcStride));
            Vector256<float> r2 = Vector256.Load(src + ((i + 2) * srcStride)), r3 = Vector256.Load(src + ((i + 3) * srcStride));
            Vector256<float> a = Avx.UnpackLow(r0, r1), b = Avx.UnpackHigh(r0, r1), c = Avx.UnpackLow(r2, r3), d = Avx.UnpackHigh(r2, r3);
            // t[i + k] holds rows i … i+3 of columns k and k+4 (one per 128-bit lane).
            t[i] = Avx.Shuffle(a, c, 0x44);
            t[i + 1] = Avx.Shuffle(a, c, 0xEE);
            t[i + 2] = Avx.Shuffle(b, d, 0x44);
            t[i + 3] = Avx.Shuffle(b, d, 0xEE);
        }
        for (int k = 0; k < 4; k++)
        {
            Store(dst, dstStride, k, Avx.Permute2x128(t[k], t[4 + k], 0x20), add);
            Store(dst, dstStride, k + 4, Avx.Permute2x128(t[k], t[4 + k], 0x31), add);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* dst, nint stride, int row, Vector512<float> value, float* add) =>
        (add is null ? value : value + Vector512.Create(add[row])).Store(dst + (row * stride));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* dst, nint stride, int row, Vector256<float> value, float* add) =>
        (add is null ? value : value + Vector256.Create(add[row])).Store(dst + (row * stride));
}
