using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// How <see cref="DirectConvolution"/> splits a weight gradient: the batch is cut into
/// <see cref="Chunks"/> runs of images (a number fixed by the batch size and the layout, never by
/// the thread count), and an item is one (chunk, group, output vector group, input block); it
/// writes its own block of the chunk's partial gradient, summing over its images in order. The
/// partials are then added in chunk order, so the result is the same on any number of threads.
/// </summary>
internal sealed unsafe class DirectWeightWork
{
    private readonly DirectPlan plan;
    private readonly int vectorGroups;

    public DirectWeightWork(DirectPlan plan, int batch, int maxChunks, long maxPartialElements)
    {
        this.plan = plan;
        long perChunk = (long)plan.GradientGroupSize * plan.Layout.Groups;
        int chunks = (int)Math.Clamp(Math.Min(Math.Min(batch, maxChunks), maxPartialElements / perChunk), 1, Math.Max(batch, 1));
        ChunkImages = (batch + chunks - 1) / chunks;
        Chunks = (batch + ChunkImages - 1) / ChunkImages;
        vectorGroups = DirectTile.BalancedCount(plan.OutputFrame.Blocks, plan.WeightVectors);
        Items = Chunks * plan.Layout.Groups * vectorGroups * plan.InputFrame.Blocks;
        ItemWork = ChunkImages * plan.ImageWork / (vectorGroups * plan.InputFrame.Blocks);
    }

    /// <summary>Images per chunk (the last chunk may have fewer).</summary>
    public int ChunkImages { get; }

    /// <summary>Chunks in the batch, each with its own partial gradient.</summary>
    public int Chunks { get; }

    /// <summary>Independent items.</summary>
    public int Items { get; }

    /// <summary>Multiply-adds of one item, for the thread split.</summary>
    public long ItemWork { get; }

    /// <summary>Computes item <paramref name="item"/> into its block of the partials.</summary>
    /// <param name="item">The item index.</param>
    /// <param name="inputFrames">The input frames of the batch, <c>[N][groups][frame]</c>.</param>
    /// <param name="gradFrames">The output-gradient frames of the batch, <c>[N][groups][frame]</c>.</param>
    /// <param name="partials">The partial gradients, <c>[chunk][group][GradientGroupSize]</c>.</param>
    public void Run(int item, float* inputFrames, float* gradFrames, float* partials)
    {
        DirectPlan p = plan;
        int inBlocks = p.InputFrame.Blocks, groups = p.Layout.Groups, lanes = p.Lanes;
        int inBlock = item % inBlocks, rest = item / inBlocks;
        var (first, vectors) = DirectTile.BalancedGroup(rest % vectorGroups, vectorGroups, p.OutputFrame.Blocks);
        rest /= vectorGroups;
        int g = rest % groups, chunk = rest / groups;
        nint targetVector = (nint)inBlocks * p.Taps * lanes * lanes;
        float* target = partials + ((((long)chunk * groups) + g) * p.GradientGroupSize) + ((((long)first * inBlocks) + inBlock) * p.Taps * lanes * lanes);
        for (int j = 0; j < vectors; j++)
        {
            new Span<float>(target + (j * targetVector), p.Taps * lanes * lanes).Clear();
        }
        int firstImage = chunk * ChunkImages, images = Math.Min(ChunkImages, p.Layout.Batch - firstImage);
        float* x = inputFrames + ((((long)firstImage * groups) + g) * p.InputFrame.ImageSize) + ((long)inBlock * p.InputFrame.BlockSize);
        float* gy = gradFrames + ((((long)firstImage * groups) + g) * p.GradFrame.ImageSize) + ((long)first * p.GradFrame.BlockSize)
            + p.GradFrame.Offset(0, 0, 0, p.D.Margin, p.H.Margin, p.W.Margin);
        AddImages(images, x, gy, vectors, target, targetVector);
    }

    /// <summary>Adds the partials of every chunk, in chunk order, into <paramref name="gradWeight"/>.</summary>
    public void AddInto(float[] partials, float[] gradWeight)
    {
        int groups = plan.Layout.Groups, size = plan.GradientGroupSize;
        Span<float> total = partials.AsSpan(0, groups * size);
        for (int chunk = 1; chunk < Chunks; chunk++)
        {
            Elementwise.Map(new ElementwiseAdd(), total, partials.AsSpan(chunk * groups * size, groups * size), total);
        }
        for (int g = 0; g < groups; g++)
        {
            plan.AddGradient(total.Slice(g * size, size), g, gradWeight);
        }
    }

    /// <summary>The chunk's contribution to the item's block: every channel tile, tap and depth plane, the images summed in the kernel.</summary>
    private void AddImages(int images, float* x, float* gy, int vectors, float* target, nint targetVector)
    {
        DirectPlan p = plan;
        BlockedFrame input = p.InputFrame, grad = p.GradFrame;
        int lanes = p.Lanes;
        for (int c = 0; c < p.InDepth; c += p.WeightChannels)
        {
            var kernel = DirectWeightMicrokernel.Select(p.Level, Math.Min(p.WeightChannels, p.InDepth - c), vectors);
            for (int tap = 0; tap < p.Taps; tap++)
            {
                int kw = tap % p.W.Kernel, kh = tap / p.W.Kernel % p.H.Kernel, kd = tap / (p.W.Kernel * p.H.Kernel);
                float* xTap = x + c + input.Offset(
                    p.D.TapPhase(kd), p.H.TapPhase(kh), p.W.TapPhase(kw), p.D.TapShift(kd), p.H.TapShift(kh), p.W.TapShift(kw));
                float* tapTarget = target + ((long)tap * lanes * lanes) + ((long)c * lanes);
                for (int od = 0; od < p.D.Out; od++)
                {
                    kernel(images, (nint)p.Layout.Groups * input.ImageSize, (nint)p.Layout.Groups * grad.ImageSize,
                        xTap + ((long)od * input.PlaneStride), gy + ((long)od * grad.PlaneStride), p.H.Out, p.W.Out,
                        input.RowStride, grad.RowStride, grad.BlockSize, tapTarget, targetVector);
                }
            }
        }
    }
}
