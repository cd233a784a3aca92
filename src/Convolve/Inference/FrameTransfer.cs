using System.Runtime.Intrinsics;
using Convolve.Kernels;

namespace Convolve.Inference;

/// <summary>
/// Moves one image between two channel-blocked frames of the same channels and lanes, from a convolution's
/// plain output frame into the next convolution's padded (and stride-phase-split) input frame, adding the
/// bias, rectifying and optionally max-pooling on the way: a whole vector of channels per position, so the
/// move is a copy, not the transpose that NCHW costs. The max is taken before the bias and the ReLU, which
/// gives the same floats as pooling the rectified sums (both are non-decreasing, rounding included).
/// Only the target's source positions are written: its padding, zeroed once, stays zero.
/// </summary>
internal sealed unsafe class FrameTransfer
{
    private readonly BlockedFrame source, target;
    private readonly float[] bias;
    private readonly Window3? pool;

    // Where each output row and column goes in a target block (the two parts of BlockedFrame.PaddedOffset,
    // which separates into a row part and a column part), worked out once: the move itself has no division.
    // Rows and columns past the target's stored positions are left out.
    private readonly int[] rowOffsets, columnOffsets;

    // Each output row's and column's first and end source position of its pooling window (taps outside the input left out).
    private readonly int[] rowTaps, columnTaps;

    /// <param name="source">A plain frame (no padding, no phases) of one 2-d image.</param>
    /// <param name="target">A frame of the same channels and lanes whose source size is the (pooled) output's.</param>
    /// <param name="bias">Per channel, or null for none.</param>
    /// <param name="pool">A 2-d max pooling over the source's positions, or null for none.</param>
    public FrameTransfer(BlockedFrame source, BlockedFrame target, float[]? bias, Window3? pool)
    {
        var (height, width) = pool is Window3 w ? (w.OutH, w.OutW) : (source.H.Size, source.W.Size);
        if (source.Lanes != target.Lanes || source.Channels != target.Channels || target.H.Size != height || target.W.Size != width
            || source.D.Size != 1 || target.D.Size != 1 || (pool is Window3 p && (p.InH != source.H.Size || p.InW != source.W.Size || p.KD != 1)))
        {
            throw new ArgumentException($"FrameTransfer: frames of {source.Channels} channels {source.H.Size}×{source.W.Size} and {target.Channels} channels {target.H.Size}×{target.W.Size} do not match");
        }
        this.source = source;
        this.target = target;
        this.pool = pool;
        this.bias = new float[source.Blocks * source.Lanes];
        bias?.AsSpan(0, source.Channels).CopyTo(this.bias);
        int qd = target.D.Offset, firstRow = target.H.Offset;
        rowOffsets = [.. Enumerable.Range(0, height).Select(o => o + target.H.Offset).TakeWhile(q => q / target.H.Stride < target.H.Length).Select(q => target.PaddedOffset(qd, q, 0))];
        columnOffsets = [.. Enumerable.Range(0, width).Select(o => o + target.W.Offset).TakeWhile(q => q / target.W.Stride < target.W.Length)
            .Select(q => target.PaddedOffset(qd, firstRow, q) - target.PaddedOffset(qd, firstRow, 0))];
        rowTaps = pool is Window3 r ? Taps(height, o => PoolingMax.Taps(o, r.SH, r.PH, r.DH, r.KH, r.InH)) : [];
        columnTaps = pool is Window3 c ? Taps(width, o => PoolingMax.Taps(o, c.SW, c.PW, c.DW, c.KW, c.InW)) : [];
    }

    private static int[] Taps(int count, Func<int, (int First, int End)> taps) =>
        [.. Enumerable.Range(0, count).SelectMany(o => new[] { taps(o).First, taps(o).End })];

    /// <summary>Channel blocks of the image: the items <see cref="Run"/> may be given a range of.</summary>
    public int Blocks => source.Blocks;

    /// <summary>
    /// Moves channel blocks [<paramref name="firstBlock"/>, <paramref name="endBlock"/>) of the image in <paramref name="from"/>
    /// (a source frame) into <paramref name="to"/> (a target frame), rectified when <paramref name="relu"/>.
    /// </summary>
    public void Run(float* from, float* to, bool relu, int firstBlock, int endBlock)
    {
        switch (source.Lanes)
        {
            case 16:
                Run<SimdOps512, Vector512<float>>(from, to, relu, firstBlock, endBlock);
                break;
            case 8:
                Run<SimdOps256, Vector256<float>>(from, to, relu, firstBlock, endBlock);
                break;
            case 4:
                Run<SimdOps128, Vector128<float>>(from, to, relu, firstBlock, endBlock);
                break;
            default:
                Run<SimdOpsScalar, float>(from, to, relu, firstBlock, endBlock);
                break;
        }
    }

    private void Run<TOps, TVector>(float* from, float* to, bool relu, int firstBlock, int endBlock)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        int lanes = source.Lanes, rows = rowOffsets.Length, columns = columnOffsets.Length;
        nint sourceRow = source.RowStride;
        bool pooled = pool.HasValue;
        int dilationH = pool?.DH ?? 1, dilationW = pool?.DW ?? 1;
        fixed (float* biases = bias)
        fixed (int* rowAt = rowOffsets, columnAt = columnOffsets, rowTap = rowTaps, columnTap = columnTaps)
        {
            for (int block = firstBlock; block < endBlock; block++)
            {
                TVector add = TOps.Load(biases + (block * lanes));
                float* input = from + ((long)block * source.BlockSize), output = to + ((long)block * target.BlockSize);
                for (int oh = 0; oh < rows; oh++)
                {
                    float* row = output + rowAt[oh];
                    for (int ow = 0; ow < columns; ow++)
                    {
                        TVector value;
                        if (pooled)
                        {
                            int h0 = rowTap[2 * oh], h1 = rowTap[(2 * oh) + 1], w0 = columnTap[2 * ow], w1 = columnTap[(2 * ow) + 1];
                            value = TOps.Load(input + (h0 * sourceRow) + (w0 * lanes));
                            for (int h = h0; h < h1; h += dilationH)
                            {
                                float* line = input + (h * sourceRow);
                                for (int w = w0; w < w1; w += dilationW)
                                {
                                    value = TOps.Max(value, TOps.Load(line + (w * lanes)));
                                }
                            }
                        }
                        else
                        {
                            value = TOps.Load(input + (oh * sourceRow) + (ow * lanes));
                        }
                        value = TOps.Add(value, add);
                        if (relu)
                        {
                            value = TOps.Relu(value);
                        }
                        TOps.Store(row + columnAt[ow], value);
                    }
                }
            }
        }
    }
}
