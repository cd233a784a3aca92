using System.Collections.Concurrent;
using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// Direct convolution without a column matrix (Georganas et al., SC 2018; oneDNN and LIBXSMM
/// work this way). Each image-group is moved into a channel-blocked, zero-padded, stride-phase-split
/// frame (<see cref="BlockedFrame"/>), the weights are repacked once per call into the matching
/// blocked order (<see cref="DirectPlan"/>), and register-blocked microkernels do all the
/// arithmetic: <see cref="DirectMicrokernel"/> for the forward pass and, with the kernel transposed
/// over channels and split into stride phases, for the input gradient; <see cref="DirectWeightMicrokernel"/>
/// for the weight gradient. Images (and groups) run in parallel; every output element is computed
/// by one thread in a fixed order, and the weight gradient is summed from per-chunk partials in
/// chunk order, so results are bit-identical for any thread count.
/// </summary>
internal sealed unsafe class DirectConvolution : IConvolutionAlgorithm
{
    /// <summary>The most weight-gradient partials (chunks of images) per batch.</summary>
    public const int MaxChunks = 8;

    /// <summary>The most floats all partials together may take (32 MB); larger layers use fewer chunks.</summary>
    public const long MaxPartialElements = 1L << 23;

    private readonly ConcurrentBag<DirectWorkspace> workspaces = [];
    private DirectPlan? plan;
    private float[] packed = [], inputFrames = [], gradFrames = [], partials = [];

    // The batch frames are kept from one pass to the very next: the input frames a forward pass
    // packed serve the weight gradient that follows it (the layer's contract keeps the input
    // unchanged until its backward pass), and the output-gradient frames the weight gradient packed
    // serve the input gradient right after it. Each is valid for the array (and plan) it was packed
    // from and only for the next call: every call consumes or clears both, so a buffer refilled
    // between calls (a reused batch, a gradient check's perturbed input) is always packed again.
    private (float[]? Source, DirectPlan? Plan) inputFramesOf, gradFramesOf;

    // The weight array (and plan) whose forward packing `packed` holds, when KeepPackedWeights is on.
    private (float[]? Source, DirectPlan? Plan) packedFrom;

    /// <summary>Floats of one image-group's input and output frames for <paramref name="layout"/>.</summary>
    public static long ImageFrameSize(in ConvolutionLayout layout, SimdLevel level)
    {
        var plan = new DirectPlan(layout, level);
        return (long)plan.InputFrame.ImageSize + plan.OutputFrame.ImageSize;
    }

    /// <inheritdoc/>
    public void Forward(float[] input, float[] weight, float[] output, in ConvolutionLayout layout, float[]? bias = null, bool relu = false)
    {
        DirectPlan p = PlanFor(layout);
        float[] weights = GrowAligned(ref packed, (long)p.ForwardGroupSize * layout.Groups);
        int shift = Shift(weights);
        if (!KeepPackedWeights || packedFrom != (weight, p))
        {
            p.PackForward(weight, weights.AsSpan(shift));
            packedFrom = KeepPackedWeights ? (weight, p) : default;
        }
        bool keep = KeepInputFrames;
        float[] xs = keep ? GrowAligned(ref inputFrames, (long)layout.Batch * layout.Groups * p.InputFrame.ImageSize) : [];
        (inputFramesOf, gradFramesOf) = (default, default);
        if (!keep && SplitsImages(p))
        {
            ForwardSplittingImages(p, input, weights, shift, output, bias, relu);
            return;
        }
        ForEachImageGroup(p, (n, g, workspace) =>
        {
            workspace.Reserve(keep ? 0 : p.InputFrame.ImageSize, p.OutputFrame.ImageSize);
            Span<float> frame = keep ? Frame(xs, p.InputFrame, (n * p.Layout.Groups) + g) : workspace.Frame.AsSpan(0, p.InputFrame.ImageSize);
            p.InputFrame.Pack(InputImage(input, p, n, g), frame);
            fixed (float* x = frame, w = weights, result = workspace.Result)
            {
                ForwardImage(p, x, w + shift + ((long)g * p.ForwardGroupSize), result, split: false);
            }
            FinishImage(p, workspace.Result, output, n, g, bias, relu);
        });
        inputFramesOf = keep ? (input, p) : default;
    }

    /// <summary>
    /// True when the batch has fewer image-groups than threads to share them: each image's output rows are
    /// then split over the threads instead (batch 1 in inference). Every output element is still computed by
    /// one microkernel call in the same order, so the numbers do not depend on the split.
    /// </summary>
    private static bool SplitsImages(DirectPlan p) =>
        !Parallelism.IsInsidePart && p.Layout.Batch * p.Layout.Groups < Parallelism.MaxThreads
        && Parallelism.PartsFor(p.ImageWork / ImageSplitFactor, p.D.Out * p.H.Out) > 1;

    /// <summary>
    /// How many times the ordinary threshold of work each thread must get before one image is split: the split
    /// hands work to the threads once per image and layer, which resnet-small's 1.8-million-multiply layers at
    /// batch 1 did not repay (measured 7,421 → 7,279 images/s on two threads); fashion-cnn's 10-million one did.
    /// </summary>
    internal const int ImageSplitFactor = 4;

    /// <summary>The forward pass one image-group at a time, its output rows split over the threads; packing and unpacking stay on one thread.</summary>
    private void ForwardSplittingImages(DirectPlan p, float[] input, float[] weights, int shift, float[] output, float[]? bias, bool relu)
    {
        DirectWorkspace workspace = workspaces.TryTake(out DirectWorkspace? kept) ? kept : new DirectWorkspace();
        workspace.Reserve(p.InputFrame.ImageSize, p.OutputFrame.ImageSize);
        int groups = p.Layout.Groups;
        for (int i = 0; i < p.Layout.Batch * groups; i++)
        {
            int n = i / groups, g = i % groups;
            p.InputFrame.Pack(InputImage(input, p, n, g), workspace.Frame.AsSpan(0, p.InputFrame.ImageSize));
            fixed (float* x = workspace.Frame, w = weights, result = workspace.Result)
            {
                ForwardImage(p, x, w + shift + ((long)g * p.ForwardGroupSize), result, split: true);
            }
            FinishImage(p, workspace.Result, output, n, g, bias, relu);
        }
        workspaces.Add(workspace);
    }

    /// <summary>
    /// One image-group's forward pass from its input frame to its result frame (no bias); with <paramref name="split"/>
    /// its output rows are shared by the threads, every output element still computed by one microkernel call.
    /// </summary>
    internal static void ForwardImage(DirectPlan p, float* frame, float* weights, float* result, bool split)
    {
        int rows = p.D.Out * p.H.Out;
        if (!split)
        {
            ForwardRows(p, frame, weights, result, 0, rows);
            return;
        }
        var (x, panel, target) = ((nint)frame, (nint)weights, (nint)result);
        Parallelism.For(rows, p.ImageWork / rows, (start, end) => ForwardRows(p, (float*)x, (float*)panel, (float*)target, start, end));
    }

    /// <summary>Unpacks image-group (n, g) from its result frame with the bias, then adds <see cref="Addend"/> and rectifies, while the image is in cache.</summary>
    private void FinishImage(DirectPlan p, float[] result, float[] output, int n, int g, float[]? bias, bool relu)
    {
        Span<float> image = OutputImage(output, p, n, g);
        p.OutputFrame.Unpack(result, image, GroupBias(bias, g, p.OutChannels));
        if (Addend is float[] addend)
        {
            Span<float> added = OutputImage(addend, p, n, g);
            if (relu)
            {
                Elementwise.Map(new ElementwiseAddRelu(), image, added, image);
            }
            else
            {
                Elementwise.Map(new ElementwiseAdd(), image, added, image);
            }
        }
        else if (relu)
        {
            Elementwise.Map(new ElementwiseRelu.Forward(), image, image);
        }
    }

    /// <summary>
    /// Whether <see cref="Forward"/> keeps the whole batch's input frames for the weight gradient
    /// that follows (its layer sets this: only in training, when the weight gradient runs direct too);
    /// otherwise each thread packs one image at a time and the batch of frames is never allocated.
    /// </summary>
    public bool KeepInputFrames { get; set; } = true;

    /// <summary>
    /// Whether <see cref="Forward"/> packs the weights only when the weight array (or the plan) differs
    /// from the last call's. Only for an owner that never changes a weight array it has passed in: a
    /// compiled evaluation plan, whose folded weights are its own snapshot. Off for the layers, whose
    /// weights change in place between steps.
    /// </summary>
    public bool KeepPackedWeights { get; set; }

    /// <summary>
    /// For a compiled evaluation plan: a batch of the output's shape that <see cref="Forward"/> adds to each
    /// image after the bias and before the ReLU, while the image is in cache (a residual block's sum); null for none.
    /// </summary>
    public float[]? Addend { get; set; }

    /// <inheritdoc/>
    public void BackwardData(float[] gradOutput, float[] weight, float[] gradInput, in ConvolutionLayout layout, float[]? bias = null)
    {
        DirectPlan p = PlanFor(layout);
        float[] weights = GrowAligned(ref packed, (long)p.BackwardGroupSize * layout.Groups);
        int shift = Shift(weights);
        p.PackBackward(weight, weights.AsSpan(shift));
        packedFrom = default;
        bool packedAlready = gradFramesOf == (gradOutput, p);
        (inputFramesOf, gradFramesOf) = (default, default);
        float[] gs = gradFrames;
        ForEachImageGroup(p, (n, g, workspace) =>
        {
            workspace.Reserve(packedAlready ? 0 : p.GradFrame.ImageSize, p.InputFrame.ImageSize);
            Span<float> frame = packedAlready ? Frame(gs, p.GradFrame, (n * p.Layout.Groups) + g) : workspace.Frame.AsSpan(0, p.GradFrame.ImageSize);
            if (!packedAlready)
            {
                p.GradFrame.Pack(OutputImage(gradOutput, p, n, g), frame);
            }
            fixed (float* gy = frame, w = weights, result = workspace.Result)
            {
                BackwardImage(p, gy, w + shift + ((long)g * p.BackwardGroupSize), result);
            }
            p.InputFrame.Unpack(workspace.Result, InputImage(gradInput, p, n, g), GroupBias(bias, g, p.InChannels));
        });
    }

    /// <inheritdoc/>
    public void BackwardWeight(float[] input, float[] gradOutput, float[] gradWeight, in ConvolutionLayout layout)
    {
        DirectPlan p = PlanFor(layout);
        int batch = layout.Batch, groups = layout.Groups;
        bool inputPacked = inputFramesOf == (input, p);
        float[] xs = GrowAligned(ref inputFrames, (long)batch * groups * p.InputFrame.ImageSize);
        float[] gs = GrowAligned(ref gradFrames, (long)batch * groups * p.GradFrame.ImageSize);
        int xShift = Shift(xs), gShift = Shift(gs);
        (inputFramesOf, gradFramesOf) = (default, default);
        Parallelism.For(batch * groups, p.InputFrame.ImageSize + p.GradFrame.ImageSize, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                if (!inputPacked)
                {
                    p.InputFrame.Pack(InputImage(input, p, i / groups, i % groups), Frame(xs, p.InputFrame, i));
                }
                p.GradFrame.Pack(OutputImage(gradOutput, p, i / groups, i % groups), Frame(gs, p.GradFrame, i));
            }
        });
        gradFramesOf = (gradOutput, p);
        var work = new DirectWeightWork(p, batch, MaxChunks, MaxPartialElements);
        float[] sums = Grow(ref partials, (long)work.Chunks * groups * p.GradientGroupSize);
        Parallelism.For(work.Items, work.ItemWork, (start, end) =>
        {
            fixed (float* x = xs, gy = gs, target = sums)
            {
                for (int item = start; item < end; item++)
                {
                    work.Run(item, x + xShift, gy + gShift, target);
                }
            }
        });
        work.AddInto(sums, gradWeight);
    }

    /// <summary>Group g's part of a per-channel bias of groups × <paramref name="channels"/> values; empty for none.</summary>
    internal static ReadOnlySpan<float> GroupBias(float[]? bias, int g, int channels) => bias is null ? default : bias.AsSpan(g * channels, channels);

    /// <summary>Image-group <paramref name="index"/>'s frame in a batch of frames from <see cref="GrowAligned"/>.</summary>
    private static Span<float> Frame(float[] frames, BlockedFrame frame, int index) => frames.AsSpan(Shift(frames) + (index * frame.ImageSize), frame.ImageSize);

    /// <summary>The forward pass of output rows [<paramref name="firstRow"/>, <paramref name="endRow"/>) (rows count over depth and height) of one image-group: every vector group, row and tile.</summary>
    internal static void ForwardRows(DirectPlan p, float* frame, float* weights, float* result, int firstRow, int endRow)
    {
        BlockedFrame input = p.InputFrame, output = p.OutputFrame;
        DirectTile tile = p.ForwardTile;
        int width = tile.TileWidth(p.W.Out), segments = p.ForwardOffsets.Length;
        fixed (int* offsets = p.ForwardOffsets)
        {
            for (int group = 0; group < tile.GroupCount(output.Blocks); group++)
            {
                var (first, vectors) = tile.Group(group, output.Blocks);
                float* panel = weights + p.ForwardPanel(first), target = result + ((long)first * output.BlockSize);
                for (int row = firstRow; row < endRow; row++)
                {
                    int od = row / p.H.Out, oh = row % p.H.Out;
                    for (int ow = 0; ow < p.W.Out; ow += width)
                    {
                        int pixels = Math.Min(width, p.W.Out - ow);
                        DirectMicrokernel.Select(p.Level, pixels, vectors)(
                            frame + input.Offset(0, 0, 0, od, oh, ow), offsets, segments, p.InDepth, panel,
                            target + output.Offset(0, 0, 0, od, oh, ow), output.BlockSize);
                    }
                }
            }
        }
    }

    /// <summary>The input gradient of one image-group: every stride phase, vector group, row and tile.</summary>
    private static void BackwardImage(DirectPlan p, float* grad, float* weights, float* result)
    {
        BlockedFrame gradFrame = p.GradFrame, input = p.InputFrame;
        DirectTile tile = p.BackwardTile;
        foreach (DirectPhase phase in p.Phases)
        {
            int width = tile.TileWidth(phase.RangeW.End - phase.RangeW.First);
            fixed (int* offsets = phase.Offsets)
            {
                for (int group = 0; group < tile.GroupCount(input.Blocks); group++)
                {
                    var (first, vectors) = tile.Group(group, input.Blocks);
                    float* panel = weights + phase.Panel(first, p.OutDepth, p.Lanes), target = result + ((long)first * input.BlockSize);
                    for (int td = phase.RangeD.First; td < phase.RangeD.End; td++)
                    {
                        for (int th = phase.RangeH.First; th < phase.RangeH.End; th++)
                        {
                            for (int tw = phase.RangeW.First; tw < phase.RangeW.End; tw += width)
                            {
                                int pixels = Math.Min(width, phase.RangeW.End - tw);
                                DirectMicrokernel.Select(p.Level, pixels, vectors)(
                                    grad + gradFrame.Offset(0, 0, 0, td, th, tw), offsets, phase.Segments, p.OutDepth, panel,
                                    target + input.Offset(phase.PD, phase.PH, phase.PW, td, th, tw), input.BlockSize);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Runs <paramref name="body"/>(image, group, workspace) for every image-group, in contiguous runs per thread.</summary>
    private void ForEachImageGroup(DirectPlan p, Action<int, int, DirectWorkspace> body)
    {
        int groups = p.Layout.Groups;
        Parallelism.For(p.Layout.Batch * groups, p.ImageWork, (start, end) =>
        {
            DirectWorkspace workspace = workspaces.TryTake(out DirectWorkspace? kept) ? kept : new DirectWorkspace();
            for (int i = start; i < end; i++)
            {
                body(i / groups, i % groups, workspace);
            }
            workspaces.Add(workspace);
        });
    }

    private DirectPlan PlanFor(in ConvolutionLayout layout)
    {
        SimdLevel level = Simd.Level;
        if (plan is null || plan.Layout != layout || plan.Level != level)
        {
            plan = new DirectPlan(layout, level);
        }
        return plan;
    }

    /// <summary>Group g of image n of an input-side batch (Shape [N, C_in, In...]).</summary>
    private static Span<float> InputImage(float[] batch, DirectPlan p, int n, int g)
    {
        int size = p.InChannels * p.Layout.Window.InputPlane;
        return batch.AsSpan((n * p.Layout.InputImage) + (g * size), size);
    }

    /// <summary>Group g of image n of an output-side batch (Shape [N, C_out, Out...]).</summary>
    private static Span<float> OutputImage(float[] batch, DirectPlan p, int n, int g)
    {
        int size = p.OutChannels * p.Layout.Window.OutputPlane;
        return batch.AsSpan((n * p.Layout.OutputImage) + (g * size), size);
    }

    /// <summary>
    /// A pinned buffer of at least <paramref name="size"/> floats from element <see cref="Shift"/> on, whose address
    /// there is a multiple of 64 bytes: a vector load of the packed weights or of a frame then never straddles two
    /// cache lines (at 64-byte vectors an unaligned frame splits every load; where the GC happened to place the
    /// arrays moved the AVX-512 weight gradient by ~9 %).
    /// </summary>
    internal static float[] GrowAligned(ref float[] buffer, long size)
    {
        if (buffer.Length < size + 16)
        {
            buffer = GC.AllocateArray<float>(checked((int)size + 16), pinned: true);
        }
        return buffer;
    }

    /// <summary>Where the 64-byte-aligned part of a buffer from <see cref="GrowAligned"/> begins (pinned, so it stays there).</summary>
    internal static int Shift(float[] buffer)
    {
        nint start = (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(buffer));
        return (int)((64 - (start & 63)) & 63) / sizeof(float);
    }

    private static float[] Grow(ref float[] buffer, long size)
    {
        if (buffer.Length < size)
        {
            buffer = new float[checked((int)size)];
        }
        return buffer;
    }
}
