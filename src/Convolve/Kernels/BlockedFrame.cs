using System.Runtime.CompilerServices;

namespace Convolve.Kernels;

/// <summary>
/// One spatial axis of a <see cref="BlockedFrame"/>: source position <c>i ∈ [0, Size)</c> sits at
/// padded position <c>q = i + Offset</c>, which is stored in phase <c>q mod Stride</c> at position
/// <c>q div Stride</c>; every phase holds <see cref="Length"/> positions.
/// </summary>
/// <param name="Size">Positions of the source (NCHW) axis.</param>
/// <param name="Offset">Padding before the first source position.</param>
/// <param name="Stride">Phases the padded axis is split into (a convolution's stride; 1 for none).</param>
/// <param name="Length">Positions per phase; padded positions beyond <c>Length·Stride</c> are dropped.</param>
/// <param name="PackedPhases">Bit p set: <see cref="BlockedFrame.Pack"/> fills phase p (a 1×1 stride-2 convolution reads one phase of two); the others stay zero.</param>
internal readonly record struct FrameAxis(int Size, int Offset, int Stride, int Length, int PackedPhases = ~0)
{
    /// <summary>True when padded position <paramref name="q"/> lies in a packed phase.</summary>
    public bool IsPacked(int q) => (PackedPhases >> (q % Stride) & 1) != 0;

    /// <summary>An axis of <paramref name="size"/> positions kept as they are.</summary>
    public static FrameAxis Plain(int size) => new(size, 0, 1, size);
}

/// <summary>
/// The channel-blocked layout the direct convolution works in (Georganas et al., SC 2018):
/// an image of <c>[Channels, D, H, W]</c> (NCHW without the batch) is stored as
/// <c>[Blocks][phaseD][phaseH][phaseW][D'][H'][W'][Lanes]</c>, where a block holds
/// <see cref="Lanes"/> consecutive channels (the vector width; missing channels of the last block
/// are zero), every axis is zero-padded and, for a strided convolution, split into stride phases
/// (<see cref="FrameAxis"/>). After that split a kernel tap of a strided, dilated, padded
/// convolution reads a unit-stride run of positions with no bounds checks, so one microkernel
/// serves every geometry. <see cref="Pack"/> and <see cref="Unpack"/> move an image in and out.
/// </summary>
internal readonly unsafe record struct BlockedFrame(int Lanes, int Channels, FrameAxis D, FrameAxis H, FrameAxis W)
{
    /// <summary>Channel blocks, <c>⌈Channels / Lanes⌉</c>.</summary>
    public int Blocks => (Channels + Lanes - 1) / Lanes;

    /// <summary>Floats of one phase of one block, <c>D'·H'·W'·Lanes</c>.</summary>
    public int PhaseSize => D.Length * H.Length * W.Length * Lanes;

    /// <summary>Floats of one channel block, all phases.</summary>
    public int BlockSize => D.Stride * H.Stride * W.Stride * PhaseSize;

    /// <summary>Floats of one image.</summary>
    public int ImageSize => Blocks * BlockSize;

    /// <summary>Floats from one row (H' position) to the next.</summary>
    public int RowStride => W.Length * Lanes;

    /// <summary>Floats from one plane (D' position) to the next.</summary>
    public int PlaneStride => H.Length * W.Length * Lanes;

    /// <summary>The offset of position (z, y, x) of phase (pd, ph, pw) within a block, in floats.</summary>
    public int Offset(int pd, int ph, int pw, int z, int y, int x) =>
        ((((((pd * H.Stride) + ph) * W.Stride) + pw) * PhaseSize) + (((z * H.Length) + y) * W.Length * Lanes)) + (x * Lanes);

    /// <summary>The offset of padded position (qd, qh, qw) within a block, in floats.</summary>
    public int PaddedOffset(int qd, int qh, int qw) =>
        Offset(qd % D.Stride, qh % H.Stride, qw % W.Stride, qd / D.Stride, qh / H.Stride, qw / W.Stride);

    /// <summary>Writes <paramref name="image"/> into <paramref name="target"/>: every stored source value of a packed phase at its place, zero everywhere else.</summary>
    /// <param name="image">Shape [Channels, D.Size, H.Size, W.Size].</param>
    /// <param name="target"><see cref="ImageSize"/> floats.</param>
    public void Pack(ReadOnlySpan<float> image, Span<float> target)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(image.Length, Channels * D.Size * H.Size * W.Size, nameof(image));
        ArgumentOutOfRangeException.ThrowIfLessThan(target.Length, ImageSize, nameof(target));
        target[..ImageSize].Clear();
        fixed (float* source = image, frame = target)
        {
            Move(source, frame, default, toFrame: true);
        }
    }

    /// <summary>
    /// Reads every source position back from <paramref name="source"/> into <paramref name="image"/>,
    /// adding <c>bias[c]</c> when a bias is given. Every source position must be stored.
    /// </summary>
    /// <param name="source"><see cref="ImageSize"/> floats; positions outside the source are not read.</param>
    /// <param name="image">Shape [Channels, D.Size, H.Size, W.Size]; overwritten.</param>
    /// <param name="bias">Empty, or one value per channel.</param>
    public void Unpack(ReadOnlySpan<float> source, Span<float> image, ReadOnlySpan<float> bias)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(source.Length, ImageSize, nameof(source));
        ArgumentOutOfRangeException.ThrowIfLessThan(image.Length, Channels * D.Size * H.Size * W.Size, nameof(image));
        if (StoredColumns < W.Size || D.Size + D.Offset > D.Length * D.Stride || H.Size + H.Offset > H.Length * H.Stride)
        {
            throw new InvalidOperationException("BlockedFrame.Unpack needs every source position stored");
        }
        fixed (float* frame = source, target = image)
        {
            Move(target, frame, bias, toFrame: false);
        }
    }

    /// <summary>Source columns whose padded position is stored (the rest lie beyond every phase's length).</summary>
    private int StoredColumns => Math.Clamp((W.Length * W.Stride) - W.Offset, 0, W.Size);

    /// <summary>
    /// Moves every stored source position between the image and the frame, plus <c>bias[c]</c>
    /// on the way out. Rows go outermost and the channels of a block inside, so the
    /// frame row a block's channels interleave into stays in the L1 cache while all of them fill it;
    /// along the width each phase is a run with a constant step in both layouts, so the inner loop
    /// has no division.
    /// </summary>
    private void Move(float* image, float* frame, ReadOnlySpan<float> bias, bool toFrame)
    {
        int plane = D.Size * H.Size * W.Size;
        for (int d = 0; d < D.Size; d++)
        {
            int qd = d + D.Offset;
            bool depthPacked = D.IsPacked(qd) || !toFrame;
            for (int h = 0; h < H.Size && qd / D.Stride < D.Length; h++)
            {
                int qh = h + H.Offset;
                if (qh / H.Stride >= H.Length || (toFrame && !(depthPacked && H.IsPacked(qh))))
                {
                    continue;
                }
                int rowFrame = PaddedOffset(qd, qh, 0);
                long rowImage = ((long)d * H.Size + h) * W.Size;
                for (int phase = 0; phase < W.Stride; phase++)
                {
                    if (toFrame && !W.IsPacked(phase))
                    {
                        continue;
                    }
                    int first = (((phase - W.Offset) % W.Stride) + W.Stride) % W.Stride;
                    long start = rowFrame + (phase * (long)PhaseSize) + ((long)(first + W.Offset) / W.Stride * Lanes);
                    var run = new BlockedRun(Channels, Lanes, BlockSize, plane, W.Stride, (StoredColumns - first + W.Stride - 1) / W.Stride);
                    if (toFrame)
                    {
                        run.Spread(image + rowImage + first, frame + start);
                    }
                    else
                    {
                        run.Gather(frame + start, image + rowImage + first, bias);
                    }
                }
            }
        }
    }
}
