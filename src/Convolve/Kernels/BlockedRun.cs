using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Convolve.Kernels;

/// <summary>
/// One run of positions moved between an NCHW image and a <see cref="BlockedFrame"/>, for every
/// channel: image <c>image[c·Plane + w·Step]</c> ↔ frame <c>frame[(c / Lanes)·BlockSize + c mod Lanes + w·Lanes]</c>,
/// <c>w &lt; Count</c>. A frame position holds a block's channels side by side, so the move is a
/// transpose; with unit steps on x86 whole blocks go through 16×16 (AVX-512) or 8×8 (AVX) register
/// transposes (<see cref="BlockTranspose"/>), what is left four channels × four positions at a time
/// through 4×4 ones, and elsewhere one element at a time.
/// </summary>
internal readonly unsafe record struct BlockedRun(int Channels, int Lanes, int BlockSize, int Plane, int Step, int Count)
{
    /// <summary>Image → frame.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Spread(float* image, float* frame)
    {
        int channels = Channels, lanes = Lanes, count = Count, c = 0;
        nint step = Step, plane = Plane, blockSize = BlockSize;
        if (step == 1 && SquareSupported(lanes))
        {
            for (; c + lanes <= channels && count >= 8; c += lanes)
            {
                CoverWithSquares(image + (c * plane), frame + ((c / lanes) * blockSize), null, toFrame: true);
            }
        }
        if (Sse.IsSupported && step == 1 && lanes % 4 == 0)
        {
            for (; c + 4 <= channels; c += 4)
            {
                GemmTranspose.TransposeFourLines(image + (c * plane), plane, count, lanes, frame + ((c / lanes) * blockSize) + (c % lanes));
            }
        }
        for (; c < channels; c++)
        {
            float* row = image + (c * plane), position = frame + ((c / lanes) * blockSize) + (c % lanes);
            for (int w = 0; w < count; w++, row += step, position += lanes)
            {
                *position = *row;
            }
        }
    }

    /// <summary>Frame → image, adding <c>bias[c]</c> when a bias is given.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Gather(float* frame, float* image, ReadOnlySpan<float> bias)
    {
        int channels = Channels, lanes = Lanes, count = Count, c = 0;
        nint step = Step, plane = Plane, blockSize = BlockSize;
        if (step == 1 && SquareSupported(lanes))
        {
            fixed (float* add = bias)
            {
                for (; c + lanes <= channels && count >= 8; c += lanes)
                {
                    CoverWithSquares(image + (c * plane), frame + ((c / lanes) * blockSize), add is null ? null : add + c, toFrame: false);
                }
            }
        }
        if (Sse.IsSupported && step == 1 && lanes % 4 == 0)
        {
            for (; c + 4 <= channels; c += 4)
            {
                ReadOnlySpan<float> add = bias.IsEmpty ? default : bias.Slice(c, 4);
                GatherFour(frame + ((c / lanes) * blockSize) + (c % lanes), lanes, count, image + (c * plane), plane, add);
            }
        }
        for (; c < channels; c++)
        {
            float* row = image + (c * plane), position = frame + ((c / lanes) * blockSize) + (c % lanes);
            if (bias.IsEmpty)
            {
                for (int w = 0; w < count; w++, row += step, position += lanes)
                {
                    *row = *position;
                }
                continue;
            }
            float add = bias[c];
            for (int w = 0; w < count; w++, row += step, position += lanes)
            {
                *row = *position + add;
            }
        }
    }

    /// <summary>
    /// Moves one whole block of channels (image rows <paramref name="rows"/>, the block's frame
    /// positions at <paramref name="block"/>) through square transposes of 16 (AVX-512, rows of at
    /// least 16) or 8 positions: the last square overlaps the one before it where the row is not a
    /// multiple, which writes some positions twice with the same values.
    /// </summary>
    private void CoverWithSquares(float* rows, float* block, float* add, bool toFrame)
    {
        int lanes = Lanes, count = Count, size = lanes == 16 && count >= 16 ? 16 : 8;
        nint plane = Plane;
        for (int w = 0; w < count; w += size)
        {
            int at = Math.Min(w, count - size);
            for (int k = 0; k < lanes; k += size)
            {
                float* image = rows + (k * plane) + at, frame = block + (at * lanes) + k;
                if (toFrame)
                {
                    Square(size, image, plane, frame, lanes, null);
                }
                else
                {
                    Square(size, frame, lanes, image, plane, add is null ? null : add + k);
                }
            }
        }
    }

    /// <summary>True when whole blocks of <paramref name="lanes"/> channels can go through a square register transpose.</summary>
    private static bool SquareSupported(int lanes) => (lanes == 16 && Avx512F.IsSupported) || (lanes == 8 && Avx.IsSupported);

    /// <summary>The square transpose of <paramref name="size"/> (16 or 8): <c>dst[j·dstStride + i] = src[i·srcStride + j] (+ add[j])</c>.</summary>
    private static void Square(int size, float* src, nint srcStride, float* dst, nint dstStride, float* add)
    {
        if (size == 16)
        {
            BlockTranspose.Square16(src, srcStride, dst, dstStride, add);
        }
        else
        {
            BlockTranspose.Square8(src, srcStride, dst, dstStride, add);
        }
    }

    /// <summary>
    /// Four channels of <paramref name="count"/> frame positions into four image rows:
    /// <c>rows[r·plane + p] = frame[p·lanes + r] (+ bias[r])</c>, four positions at a time through 4×4 register transposes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GatherFour(float* frame, nint lanes, int count, float* rows, nint plane, ReadOnlySpan<float> bias)
    {
        float* row0 = rows, row1 = rows + plane, row2 = rows + (2 * plane), row3 = rows + (3 * plane);
        bool add = !bias.IsEmpty;
        float a0 = add ? bias[0] : 0f, a1 = add ? bias[1] : 0f, a2 = add ? bias[2] : 0f, a3 = add ? bias[3] : 0f;
        Vector128<float> b0 = Vector128.Create(a0), b1 = Vector128.Create(a1), b2 = Vector128.Create(a2), b3 = Vector128.Create(a3);
        int p = 0;
        for (; p <= count - 4; p += 4, frame += 4 * lanes)
        {
            Vector128<float> v0 = Vector128.Load(frame), v1 = Vector128.Load(frame + lanes);
            Vector128<float> v2 = Vector128.Load(frame + (2 * lanes)), v3 = Vector128.Load(frame + (3 * lanes));
            Vector128<float> low01 = Sse.UnpackLow(v0, v1), low23 = Sse.UnpackLow(v2, v3);
            Vector128<float> high01 = Sse.UnpackHigh(v0, v1), high23 = Sse.UnpackHigh(v2, v3);
            Vector128<float> r0 = Sse.MoveLowToHigh(low01, low23), r1 = Sse.MoveHighToLow(low23, low01);
            Vector128<float> r2 = Sse.MoveLowToHigh(high01, high23), r3 = Sse.MoveHighToLow(high23, high01);
            if (add)
            {
                (r0, r1, r2, r3) = (r0 + b0, r1 + b1, r2 + b2, r3 + b3);
            }
            r0.Store(row0 + p);
            r1.Store(row1 + p);
            r2.Store(row2 + p);
            r3.Store(row3 + p);
        }
        for (; p < count; p++, frame += lanes)
        {
            (row0[p], row1[p], row2[p], row3[p]) = add ? (frame[0] + a0, frame[1] + a1, frame[2] + a2, frame[3] + a3) : (frame[0], frame[1], frame[2], frame[3]);
        }
    }
}
