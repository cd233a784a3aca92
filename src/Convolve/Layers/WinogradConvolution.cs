using System.Collections.Concurrent;
using System.Runtime.Intrinsics;
using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// Winograd's minimal filtering F(2×2, 3×3) (Lavin &amp; Gray, CVPR 2016) for 2-d 3×3 stride-1
/// convolutions (<see cref="WinogradPlan.Applies"/>): 16 multiplies per 2×2 output tile and channel
/// pair instead of 36. Each image-group is packed into a channel-blocked frame, its 4×4 tiles are
/// transformed (<see cref="WinogradTransforms"/>), the 16 independent products are summed over the
/// input channels by <see cref="DirectMicrokernel"/> (tiles take the place of pixels, channel blocks
/// of segments), and the products are transformed back. The input gradient is the forward pass of
/// the adjoint convolution (kernel rotated by 180°, channels swapped, padding 2 − p); the weight
/// gradient sums <c>(A ∂y Aᵀ) ⊙ (Bᵀ d B)</c> over tiles with <see cref="DirectWeightMicrokernel"/>
/// and applies <c>Gᵀ · G</c>, in per-chunk partials added in chunk order (bit-identical for any
/// thread count).
/// </summary>
internal sealed unsafe class WinogradConvolution : IConvolutionAlgorithm
{
    private readonly ConcurrentBag<WinogradWorkspace> workspaces = [];
    private readonly Dictionary<ConvolutionLayout, WinogradPlan> plans = [];
    private float[] packed = [], partials = [];

    /// <summary>Floats of one image-group's frames, transformed tiles and products for <paramref name="layout"/>.</summary>
    public static long ImageWorkspaceSize(in ConvolutionLayout layout, SimdLevel level)
    {
        var plan = new WinogradPlan(layout, level);
        return (long)plan.InputFrame.ImageSize + (16 * (plan.InputStride + plan.OutputStride)) + plan.OutputFrame.ImageSize;
    }

    /// <inheritdoc/>
    public void Forward(float[] input, float[] weight, float[] output, in ConvolutionLayout layout, float[]? bias = null, bool relu = false) =>
        Run(PlanFor(layout), input, weight, output, adjoint: false, bias, relu);

    /// <inheritdoc/>
    public void BackwardData(float[] gradOutput, float[] weight, float[] gradInput, in ConvolutionLayout layout, float[]? bias = null) =>
        Run(PlanFor(WinogradPlan.Adjoint(layout)), gradOutput, weight, gradInput, adjoint: true, bias);

    /// <inheritdoc/>
    public void BackwardWeight(float[] input, float[] gradOutput, float[] gradWeight, in ConvolutionLayout layout)
    {
        WinogradPlan p = PlanFor(layout);
        int batch = layout.Batch, groups = layout.Groups;
        long perChunk = (long)p.GradientGroupSize * groups;
        int chunks = (int)Math.Clamp(Math.Min(Math.Min(batch, DirectConvolution.MaxChunks), DirectConvolution.MaxPartialElements / perChunk), 1, Math.Max(batch, 1));
        int chunkImages = (batch + chunks - 1) / chunks;
        chunks = (batch + chunkImages - 1) / chunkImages;
        float[] sums = Grow(ref partials, chunks * perChunk);
        Parallelism.For(chunks * groups, chunkImages * p.ImageWork, (start, end) =>
        {
            WinogradWorkspace workspace = Rent(p);
            for (int item = start; item < end; item++)
            {
                int chunk = item / groups, g = item % groups;
                Span<float> target = sums.AsSpan((int)((chunk * perChunk) + ((long)g * p.GradientGroupSize)), p.GradientGroupSize);
                target.Clear();
                for (int n = chunk * chunkImages; n < Math.Min(batch, (chunk + 1) * chunkImages); n++)
                {
                    AddImageGradient(p, Image(input, n, g, p.InChannels, p.Layout.InputImage, p.Layout.Window.InputPlane),
                        Image(gradOutput, n, g, p.OutChannels, p.Layout.OutputImage, p.Layout.Window.OutputPlane), workspace, target);
                }
            }
            workspaces.Add(workspace);
        });
        Span<float> total = sums.AsSpan(0, (int)perChunk);
        for (int chunk = 1; chunk < chunks; chunk++)
        {
            Elementwise.Map(new ElementwiseAdd(), total, sums.AsSpan((int)(chunk * perChunk), (int)perChunk), total);
        }
        for (int g = 0; g < groups; g++)
        {
            p.AddGradient(total.Slice(g * p.GradientGroupSize, p.GradientGroupSize), g, gradWeight);
        }
    }

    /// <summary>The forward pass of <paramref name="p"/>'s convolution (or, with <paramref name="adjoint"/>, of the adjoint of the weight's), plus the bias.</summary>
    private void Run(WinogradPlan p, float[] input, float[] weight, float[] output, bool adjoint, float[]? bias, bool relu = false)
    {
        int groups = p.Layout.Groups;
        float[] weights = Grow(ref packed, 16L * p.PanelSize * groups);
        if (!KeepPackedWeights || packedFrom != (weight, p, adjoint))
        {
            p.PackWeights(weight, weights, adjoint);
            packedFrom = KeepPackedWeights ? (weight, p, adjoint) : default;
        }
        if (SplitsImages(p))
        {
            RunSplittingImages(p, input, weights, output, bias, relu);
            return;
        }
        Parallelism.For(p.Layout.Batch * groups, p.ImageWork, (start, end) =>
        {
            WinogradWorkspace workspace = Rent(p);
            for (int i = start; i < end; i++)
            {
                int n = i / groups, g = i % groups;
                p.InputFrame.Pack(Image(input, n, g, p.InChannels, p.Layout.InputImage, p.Layout.Window.InputPlane), workspace.Frame);
                fixed (float* frame = workspace.Frame, v = workspace.Transformed, m = workspace.Products, w = weights, result = workspace.Result)
                {
                    ForwardImage(p, frame, v, m, w + (16L * g * p.PanelSize), result, split: false);
                }
                FinishImage(p, workspace.Result, output, n, g, bias, relu);
            }
            workspaces.Add(workspace);
        });
    }

    /// <summary>True when the batch has fewer image-groups than threads and one image's work repays a split (as <see cref="DirectConvolution.SplitsImages"/>).</summary>
    private static bool SplitsImages(WinogradPlan p) =>
        !Parallelism.IsInsidePart && p.Layout.Batch * p.Layout.Groups < Parallelism.MaxThreads
        && Parallelism.PartsFor(p.ImageWork / DirectConvolution.ImageSplitFactor, 16) > 1;

    /// <summary>
    /// Whether the weights are packed only when the weight array (or plan, or direction) differs from the last
    /// call's: for a compiled evaluation plan, whose weights are its own snapshot (see <see cref="DirectConvolution.KeepPackedWeights"/>).
    /// </summary>
    public bool KeepPackedWeights { get; set; }

    private (float[]? Source, WinogradPlan? Plan, bool Adjoint) packedFrom;

    /// <summary>
    /// The forward pass one image-group at a time when the batch has fewer image-groups than threads (batch 1 in
    /// inference): the transforms split over channel blocks and the 16 products over ξ. Every value is computed
    /// by the same calls in the same order as on one thread.
    /// </summary>
    private void RunSplittingImages(WinogradPlan p, float[] input, float[] weights, float[] output, float[]? bias, bool relu)
    {
        WinogradWorkspace workspace = Rent(p);
        int groups = p.Layout.Groups;
        for (int i = 0; i < p.Layout.Batch * groups; i++)
        {
            int n = i / groups, g = i % groups;
            p.InputFrame.Pack(Image(input, n, g, p.InChannels, p.Layout.InputImage, p.Layout.Window.InputPlane), workspace.Frame);
            fixed (float* frame = workspace.Frame, v = workspace.Transformed, m = workspace.Products, w = weights, result = workspace.Result)
            {
                ForwardImage(p, frame, v, m, w + (16L * g * p.PanelSize), result, split: true);
            }
            FinishImage(p, workspace.Result, output, n, g, bias, relu);
        }
        workspaces.Add(workspace);
    }

    /// <summary>
    /// One image-group's forward pass from its input frame to its result frame, the transformed tiles in
    /// <paramref name="v"/> and the products in <paramref name="m"/>; with <paramref name="split"/> the transforms
    /// are split over channel blocks and the products over ξ, every value computed by the same call as on one thread.
    /// </summary>
    internal static void ForwardImage(WinogradPlan p, float* frame, float* v, float* m, float* weights, float* result, bool split)
    {
        if (!split)
        {
            Transform(p, TileTransform.Input, frame, v, 0, p.InputFrame.Blocks);
            Multiply(p, v, weights, m, 0, 16);
            Transform(p, TileTransform.Output, m, result, 0, p.OutputFrame.Blocks);
            return;
        }
        var (pf, pv, pm, pw, pr) = ((nint)frame, (nint)v, (nint)m, (nint)weights, (nint)result);
        long blockWork = p.ImageWork / 16 / Math.Max(1, p.InputFrame.Blocks);
        Parallelism.For(p.InputFrame.Blocks, blockWork, (start, end) => Transform(p, TileTransform.Input, (float*)pf, (float*)pv, start, end));
        Parallelism.For(16, p.ImageWork / 16, (start, end) => Multiply(p, (float*)pv, (float*)pw, (float*)pm, start, end));
        Parallelism.For(p.OutputFrame.Blocks, blockWork, (start, end) => Transform(p, TileTransform.Output, (float*)pm, (float*)pr, start, end));
    }

    /// <summary>Unpacks image-group (n, g) from its result frame with the bias, and rectifies it while it is in cache.</summary>
    private static void FinishImage(WinogradPlan p, float[] result, float[] output, int n, int g, float[]? bias, bool relu)
    {
        Span<float> image = Image(output, n, g, p.OutChannels, p.Layout.OutputImage, p.Layout.Window.OutputPlane);
        p.OutputFrame.Unpack(result, image, DirectConvolution.GroupBias(bias, g, p.OutChannels));
        if (relu)
        {
            Elementwise.Map(new ElementwiseRelu.Forward(), image, image);
        }
    }

    /// <summary>The 16 products: for each ξ, every vector group of output channels and run of tiles, summed over the input channel blocks.</summary>
    internal static void Multiply(WinogradPlan p, float* v, float* weights, float* m, int firstXi, int endXi)
    {
        DirectTile tile = p.Tile;
        int blocks = p.OutputFrame.Blocks, width = tile.TileWidth(p.Tiles), lanes = p.Lanes;
        nint vectorStride = (nint)p.Tiles * lanes;
        fixed (int* offsets = p.Offsets)
        {
            for (int xi = firstXi; xi < endXi; xi++)
            {
                for (int group = 0; group < tile.GroupCount(blocks); group++)
                {
                    var (first, vectors) = tile.Group(group, blocks);
                    float* panel = weights + p.Panel(xi, first), target = m + (xi * p.OutputStride) + (first * vectorStride);
                    for (int t = 0; t < p.Tiles; t += width)
                    {
                        int tiles = Math.Min(width, p.Tiles - t);
                        DirectMicrokernel.Select(p.Level, tiles, vectors)(
                            v + (xi * p.InputStride) + ((nint)t * lanes), offsets, p.Offsets.Length, p.InDepth, panel, target + ((nint)t * lanes), vectorStride);
                    }
                }
            }
        }
    }

    /// <summary>One image's contribution to a group's partial: both operands transformed, then Σ_tiles Ŷ ⊙ V per ξ.</summary>
    private static void AddImageGradient(WinogradPlan p, ReadOnlySpan<float> input, ReadOnlySpan<float> gradOutput, WinogradWorkspace workspace, Span<float> target)
    {
        p.InputFrame.Pack(input, workspace.Frame);
        p.OutputFrame.Pack(gradOutput, workspace.Result);
        int lanes = p.Lanes, inBlocks = p.InputFrame.Blocks, outBlocks = p.OutputFrame.Blocks;
        nint tileStride = (nint)p.Tiles * lanes, square = lanes * lanes;
        fixed (float* frame = workspace.Frame, v = workspace.Transformed, grad = workspace.Result, u = workspace.Products, z = target)
        {
            Transform(p, TileTransform.Input, frame, v, 0, inBlocks);
            Transform(p, TileTransform.Gradient, grad, u, 0, outBlocks);
            for (int xi = 0; xi < 16; xi++)
            {
                int vectorGroups = DirectTile.BalancedCount(outBlocks, p.WeightVectors);
                for (int group = 0; group < vectorGroups; group++)
                {
                    var (first, vectors) = DirectTile.BalancedGroup(group, vectorGroups, outBlocks);
                    for (int block = 0; block < inBlocks; block++)
                    {
                        for (int c = 0; c < p.InDepth; c += p.WeightChannels)
                        {
                            DirectWeightMicrokernel.Select(p.Level, Math.Min(p.WeightChannels, p.InDepth - c), vectors)(
                                1, 0, 0, v + (xi * p.InputStride) + (block * tileStride) + c, u + (xi * p.OutputStride) + (first * tileStride),
                                1, p.Tiles, 0, 0, tileStride,
                                z + ((((((long)xi * outBlocks) + first) * inBlocks) + block) * square) + (c * lanes), inBlocks * square);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Which tile transform <see cref="Transform"/> applies.</summary>
    internal enum TileTransform
    {
        /// <summary>Input frame → transformed input, <c>Bᵀ d B</c>.</summary>
        Input,

        /// <summary>Products → output frame, <c>Aᵀ m A</c>.</summary>
        Output,

        /// <summary>Output-gradient frame → transformed gradient, <c>A ∂y Aᵀ</c>.</summary>
        Gradient,
    }

    /// <summary>Applies a tile transform to channel blocks [<paramref name="firstBlock"/>, <paramref name="endBlock"/>) and every tile, from <paramref name="source"/> to <paramref name="target"/>, at the plan's SIMD level.</summary>
    internal static void Transform(WinogradPlan p, TileTransform kind, float* source, float* target, int firstBlock, int endBlock)
    {
        switch (p.Level)
        {
            case SimdLevel.Vector512:
                Transform<SimdOps512, Vector512<float>>(p, kind, source, target, firstBlock, endBlock);
                break;
            case SimdLevel.Vector256:
                Transform<SimdOps256, Vector256<float>>(p, kind, source, target, firstBlock, endBlock);
                break;
            case SimdLevel.Vector128:
                Transform<SimdOps128, Vector128<float>>(p, kind, source, target, firstBlock, endBlock);
                break;
            default:
                Transform<SimdOpsScalar, float>(p, kind, source, target, firstBlock, endBlock);
                break;
        }
    }

    private static void Transform<TOps, TVector>(WinogradPlan p, TileTransform kind, float* source, float* target, int firstBlock, int endBlock)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        BlockedFrame frame = kind == TileTransform.Input ? p.InputFrame : p.OutputFrame;
        nint stride = kind == TileTransform.Input ? p.InputStride : p.OutputStride;
        float* spatialBase = kind == TileTransform.Output ? target : source, transformedBase = kind == TileTransform.Output ? source : target;
        for (int block = firstBlock; block < endBlock; block++)
        {
            for (int th = 0; th < p.TilesH; th++)
            {
                for (int tw = 0; tw < p.TilesW; tw++)
                {
                    float* spatial = spatialBase + ((long)block * frame.BlockSize) + frame.Offset(0, 0, 0, 0, 2 * th, 2 * tw);
                    float* transformed = transformedBase + ((((long)block * p.Tiles) + (th * p.TilesW) + tw) * p.Lanes);
                    switch (kind)
                    {
                        case TileTransform.Input:
                            WinogradTransforms.Input<TOps, TVector>(spatial, frame.RowStride, transformed, stride);
                            break;
                        case TileTransform.Output:
                            WinogradTransforms.Output<TOps, TVector>(transformed, stride, spatial, frame.RowStride, 2, 2);
                            break;
                        default:
                            WinogradTransforms.Gradient<TOps, TVector>(spatial, frame.RowStride, transformed, stride);
                            break;
                    }
                }
            }
        }
    }

    private WinogradPlan PlanFor(in ConvolutionLayout layout)
    {
        if (!plans.TryGetValue(layout, out WinogradPlan? plan) || plan.Level != Simd.Level)
        {
            if (!WinogradPlan.Applies(layout))
            {
                throw new InvalidOperationException($"Winograd F(2x2, 3x3) does not apply to {layout}");
            }
            plan = new WinogradPlan(layout, Simd.Level);
            plans[layout] = plan;
        }
        return plan;
    }

    private WinogradWorkspace Rent(WinogradPlan p)
    {
        WinogradWorkspace workspace = workspaces.TryTake(out WinogradWorkspace? kept) ? kept : new WinogradWorkspace();
        workspace.Reserve(p);
        return workspace;
    }

    /// <summary>Group g of image n of a batch whose images have <paramref name="imageSize"/> floats of <paramref name="plane"/>-sized channels.</summary>
    private static Span<float> Image(float[] batch, int n, int g, int channels, int imageSize, int plane) =>
        batch.AsSpan((n * imageSize) + (g * channels * plane), channels * plane);

    private static float[] Grow(ref float[] buffer, long size)
    {
        if (buffer.Length < size)
        {
            buffer = new float[checked((int)size)];
        }
        return buffer;
    }
}
