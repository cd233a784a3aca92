using System.Collections.Concurrent;
using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// The three passes of a batched convolution as im2col + GEMM (<see cref="ConvolutionAlgorithm.Im2Col"/>,
/// the textbook derivation and the reference for the other algorithms). Per group g, with <c>col</c> the
/// <see cref="Im2Col"/> lowering of the input: <c>output_g = weight_g · col_g</c>,
/// <c>gradWeight_g += gradOutput_g · col_gᵀ</c> and <c>gradInput = col2im(weight_gᵀ · gradOutput_g)</c>.
/// The images go through in chunks whose columns sit side by side, <c>[C_in·K, nb·P]</c>, so
/// each GEMM is wide (one GEMM per image would have only N = P columns and re-pack the weight
/// every time). The chunk size depends only on the layout, never on the thread count. With
/// several threads and enough chunks, whole chunks run in parallel, each on one thread with its
/// own workspace (lowering, GEMM and scatter stay in that core's cache; a thin GEMM such as the
/// first layer's, K = 25, does not split well inside); otherwise chunks run one after another
/// and each GEMM splits across the threads. The weight gradient of a multi-chunk batch is summed
/// from per-chunk partial products in chunk order, so it is the same for any thread count.
/// Workspaces are bounded by the chunk and reused from call to call.
/// </summary>
internal sealed class Im2ColConvolution(int maxChunkElements = Im2ColConvolution.DefaultChunkElements) : IConvolutionAlgorithm
{
    /// <summary>The largest column or output workspace of a chunk, in floats (8 MB).</summary>
    public const int DefaultChunkElements = 1 << 21;

    /// <summary>The GEMM width a chunk aims at (measured on conv layers of 7×7 to 28×28 outputs, one thread: 800–1600 is best).</summary>
    public const int ChunkWidth = 1024;

    /// <summary>The largest set of per-chunk partial weight gradients, in floats (16 MB); beyond it chunks accumulate in place, one after another.</summary>
    public const int MaxPartialElements = 1 << 22;

    /// <summary>Chunks per thread below which a batch runs chunk after chunk with threaded GEMMs instead.</summary>
    public const int MinChunksPerThread = 2;

    private readonly ConcurrentBag<Im2ColWorkspace> workspaces = [];
    private float[] partials = [];

    /// <summary>Writes <c>output = weight ⋆ input (+ bias)</c>.</summary>
    /// <param name="input">Shape [N, C_in, In...].</param>
    /// <param name="weight">Shape [C_out, C_in/groups, k...].</param>
    /// <param name="output">Shape [N, C_out, Out...]; overwritten.</param>
    /// <param name="layout">The sizes.</param>
    /// <param name="bias">Shape [C_out], added after the products; null for none.</param>
    /// <param name="relu">Whether to rectify the output after the bias (in a pass of its own here).</param>
    public void Forward(float[] input, float[] weight, float[] output, in ConvolutionLayout layout, float[]? bias = null, bool relu = false)
    {
        ForEachChunk(layout, (chunk, _, workspace) =>
        {
            ReadOnlySpan<float> columns = chunk.Columns(input, workspace);
            if (chunk.Count == 1)
            {
                // One image's [C_out, P] products are its NCHW output: no staging, no scatter.
                MultiplyGroups(false, weight, columns, chunk.Outputs(output), chunk);
                return;
            }
            MultiplyGroups(false, weight, columns, workspace.Products, chunk);
            chunk.ScatterProducts(workspace.Products, output);
        });
        AddBias(output, layout.Batch, layout.OutputChannels, layout.Window.OutputPlane, bias);
        if (relu)
        {
            Span<float> all = output.AsSpan(0, layout.Batch * layout.OutputImage);
            Elementwise.Map(new ElementwiseRelu.Forward(), all, all);
        }
    }

    /// <summary>Writes <c>gradInput = col2im(weightᵀ · gradOutput)</c>, the adjoint of <see cref="Forward"/>.</summary>
    /// <param name="gradOutput">Shape [N, C_out, Out...].</param>
    /// <param name="weight">Shape [C_out, C_in/groups, k...].</param>
    /// <param name="gradInput">Shape [N, C_in, In...]; overwritten.</param>
    /// <param name="layout">The sizes.</param>
    /// <param name="bias">Shape [C_in], added after col2im (a transposed convolution's bias); null for none.</param>
    public void BackwardData(float[] gradOutput, float[] weight, float[] gradInput, in ConvolutionLayout layout, float[]? bias = null)
    {
        ForEachChunk(layout, (chunk, _, workspace) =>
        {
            workspace.Reserve(chunk);
            ReadOnlySpan<float> products = chunk.Products(gradOutput, workspace);
            if (chunk.Count == 1 && chunk.Layout.IsPointwise)
            {
                // The column matrix of a pointwise convolution is the image: the GEMM writes the gradient in place.
                MultiplyGroups(true, weight, products, chunk.Inputs(gradInput), chunk);
                return;
            }
            MultiplyGroups(true, weight, products, workspace.Columns, chunk);
            chunk.Raise(gradInput, workspace);
        });
        AddBias(gradInput, layout.Batch, layout.InputChannels, layout.Window.InputPlane, bias);
    }

    /// <summary>Adds the bias per channel in a pass of its own (the GEMMs write without it).</summary>
    private static void AddBias(float[] data, int batch, int channels, int plane, float[]? bias)
    {
        if (bias is not null)
        {
            ChannelMaps.AddPerChannel(data.AsSpan(0, batch * channels * plane), batch, channels, plane, bias);
        }
    }

    /// <summary>Adds <c>gradOutput · colᵀ</c> into <paramref name="gradWeight"/>, summing over the chunks in image order.</summary>
    /// <param name="input">Shape [N, C_in, In...].</param>
    /// <param name="gradOutput">Shape [N, C_out, Out...].</param>
    /// <param name="gradWeight">Shape [C_out, C_in/groups, k...]; accumulated into.</param>
    /// <param name="layout">The sizes.</param>
    public void BackwardWeight(float[] input, float[] gradOutput, float[] gradWeight, in ConvolutionLayout layout)
    {
        int chunks = ChunkCount(layout), size = layout.OutputChannels * layout.ColumnRowsPerGroup;
        if (chunks <= 1 || (long)chunks * size > MaxPartialElements)
        {
            // One chunk, or partials too large to keep: accumulate in place, chunk after chunk.
            ForEachChunk(layout, (chunk, _, workspace) => AddWeightProduct(input, gradOutput, chunk, workspace, 1f, gradWeight), allowParallel: false);
            return;
        }
        if (partials.Length < chunks * size)
        {
            partials = new float[chunks * size];
        }
        float[] target = partials;
        ForEachChunk(layout, (chunk, index, workspace) =>
            AddWeightProduct(input, gradOutput, chunk, workspace, 0f, target.AsSpan(index * size, size)));
        for (int i = 0; i < chunks; i++)
        {
            Elementwise.Map(new ElementwiseAdd(), gradWeight.AsSpan(0, size), target.AsSpan(i * size, size), gradWeight.AsSpan(0, size));
        }
    }

    /// <summary><c>gradWeight_g = gradOutput_g · col_gᵀ + beta · gradWeight_g</c> for the chunk, every group.</summary>
    private static void AddWeightProduct(float[] input, float[] gradOutput, in Im2ColChunk chunk, Im2ColWorkspace workspace, float beta, Span<float> gradWeight)
    {
        ReadOnlySpan<float> columns = chunk.Columns(input, workspace);
        ReadOnlySpan<float> products = chunk.Products(gradOutput, workspace);
        ConvolutionLayout layout = chunk.Layout;
        int width = chunk.Width, rows = layout.OutputChannelsPerGroup, depth = layout.ColumnRowsPerGroup;
        for (int g = 0; g < layout.Groups; g++)
        {
            Gemm.Multiply(
                false, true, rows, depth, width, 1f,
                products.Slice(g * rows * width, rows * width), width,
                columns.Slice(g * depth * width, depth * width), width,
                beta, gradWeight.Slice(g * rows * depth, rows * depth), depth);
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> on every chunk (with its index): whole chunks on parallel
    /// threads when there are at least <see cref="MinChunksPerThread"/> per thread, each thread a
    /// contiguous run with its own workspace and its GEMMs kept to itself; else in order, on one
    /// workspace, with threaded GEMMs.
    /// </summary>
    private void ForEachChunk(in ConvolutionLayout layout, Action<Im2ColChunk, int, Im2ColWorkspace> body, bool allowParallel = true)
    {
        int images = ChunkImages(layout), chunks = ChunkCount(layout);
        ConvolutionLayout local = layout;
        Im2ColChunk Chunk(int index) => new(local, index * images, Math.Min(images, local.Batch - index * images));
        long workPerChunk = (long)images * layout.OutputImage * layout.ColumnRowsPerGroup;
        int parts = allowParallel ? Parallelism.PartsFor(workPerChunk * chunks, chunks / MinChunksPerThread) : 1;
        Parallelism.For(parts, workPerChunk * chunks / parts, (firstPart, endPart) =>
        {
            Im2ColWorkspace workspace = Rent();
            for (int i = firstPart * chunks / parts; i < endPart * chunks / parts; i++)
            {
                body(Chunk(i), i, workspace);
            }
            workspaces.Add(workspace);
        });
    }

    private Im2ColWorkspace Rent() => workspaces.TryTake(out Im2ColWorkspace? workspace) ? workspace : new Im2ColWorkspace();

    /// <summary>Chunks in the batch.</summary>
    private int ChunkCount(in ConvolutionLayout layout)
    {
        int images = ChunkImages(layout);
        return (layout.Batch + images - 1) / images;
    }

    /// <summary>
    /// Images per chunk: enough for about <see cref="ChunkWidth"/> columns, within the workspace
    /// bound, at least one; one for a pointwise convolution. Wider chunks stop paying: the columns leave the 1 MB L2 between
    /// im2col and the GEMM, and a GEMM with small K (the first layer's 25) turns memory-bound.
    /// </summary>
    private int ChunkImages(in ConvolutionLayout layout)
    {
        if (layout.IsPointwise)
        {
            return 1; // each image is its own column matrix, used in place
        }
        long perImage = Math.Max(Math.Max((long)layout.ColumnSize, layout.OutputImage), 1);
        long wanted = (ChunkWidth + layout.Window.OutputPlane - 1) / Math.Max(layout.Window.OutputPlane, 1);
        return (int)Math.Clamp(Math.Min(wanted, maxChunkElements / perImage), 1, Math.Max(layout.Batch, 1));
    }

    /// <summary>
    /// One GEMM per group on the chunk: <c>products_g = weight_g · columns_g</c> or, transposed,
    /// <c>columns_g = weight_gᵀ · products_g</c>.
    /// </summary>
    private static void MultiplyGroups(bool transposed, float[] weight, ReadOnlySpan<float> source, Span<float> target, in Im2ColChunk chunk)
    {
        ConvolutionLayout layout = chunk.Layout;
        int width = chunk.Width, rows = layout.OutputChannelsPerGroup, depth = layout.ColumnRowsPerGroup;
        var (m, k, sourceRows) = transposed ? (depth, rows, rows) : (rows, depth, depth);
        for (int g = 0; g < layout.Groups; g++)
        {
            Gemm.Multiply(
                transposed, false, m, width, k, 1f,
                weight.AsSpan(g * rows * depth, rows * depth), depth,
                source.Slice(g * sourceRows * width, sourceRows * width), width,
                0f, target.Slice(g * m * width, m * width), width);
        }
    }
}
