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
internal readonly record struct FrameAxis(int Size, int Offset, int Stride, int Length)
{
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
internal readonly record struct BlockedFrame(int Lanes, int Channels, FrameAxis D, FrameAxis H, FrameAxis W)
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

    /// <summary>Writes <paramref name="image"/> into <paramref name="target"/>: every stored source value at its place, zero everywhere else.</summary>
    /// <param name="image">Shape [Channels, D.Size, H.Size, W.Size].</param>
    /// <param name="target"><see cref="ImageSize"/> floats.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(ReadOnlySpan<float> image, Span<float> target)
    {
        target = target[..ImageSize];
        target.Clear();
        int columns = StoredColumns;
        for (int c = 0; c < Channels; c++)
        {
            int block = (c / Lanes * BlockSize) + (c % Lanes);
            for (int d = 0; d < D.Size; d++)
            {
                for (int h = 0; h < H.Size; h++)
                {
                    int row = RowOffset(d, h);
                    if (row < 0)
                    {
                        continue;
                    }
                    ReadOnlySpan<float> source = image.Slice((((c * D.Size) + d) * H.Size + h) * W.Size, columns);
                    for (int w = 0; w < source.Length; w++)
                    {
                        target[block + row + ColumnOffset(w)] = source[w];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Reads every source position back from <paramref name="source"/> into <paramref name="image"/>,
    /// adding <c>bias[c]</c> when a bias is given. Every source position must be stored.
    /// </summary>
    /// <param name="source"><see cref="ImageSize"/> floats; positions outside the source are not read.</param>
    /// <param name="image">Shape [Channels, D.Size, H.Size, W.Size]; overwritten.</param>
    /// <param name="bias">Empty, or one value per channel.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Unpack(ReadOnlySpan<float> source, Span<float> image, ReadOnlySpan<float> bias)
    {
        for (int c = 0; c < Channels; c++)
        {
            int block = (c / Lanes * BlockSize) + (c % Lanes);
            float add = bias.IsEmpty ? 0f : bias[c];
            for (int d = 0; d < D.Size; d++)
            {
                for (int h = 0; h < H.Size; h++)
                {
                    int row = block + RowOffset(d, h);
                    Span<float> target = image.Slice((((c * D.Size) + d) * H.Size + h) * W.Size, W.Size);
                    for (int w = 0; w < target.Length; w++)
                    {
                        target[w] = source[row + ColumnOffset(w)] + add;
                    }
                }
            }
        }
    }

    /// <summary>Source columns whose padded position is stored (the rest lie beyond every phase's length).</summary>
    private int StoredColumns => Math.Clamp((W.Length * W.Stride) - W.Offset, 0, W.Size);

    /// <summary>The offset of source row (d, h) at padded column 0 within a block, or −1 when the row is not stored.</summary>
    private int RowOffset(int d, int h)
    {
        int qd = d + D.Offset, qh = h + H.Offset;
        return qd / D.Stride < D.Length && qh / H.Stride < H.Length ? PaddedOffset(qd, qh, 0) : -1;
    }

    /// <summary>The offset of source column w from its row's padded column 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ColumnOffset(int w)
    {
        int qw = w + W.Offset;
        return W.Stride == 1 ? qw * Lanes : (qw % W.Stride * PhaseSize) + (qw / W.Stride * Lanes);
    }
}
