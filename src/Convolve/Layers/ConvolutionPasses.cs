using System.Runtime.CompilerServices;
using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// The three passes of a batched convolution as im2col + GEMM, written once in the
/// convolution's own direction (<see cref="ConvolutionLayout"/>) and reused by both
/// <see cref="ConvNd"/> and <see cref="ConvTransposeNd"/>. Per group g, with <c>col</c> the
/// <see cref="Im2Col"/> lowering of the input: <c>output_g = weight_g · col_g</c>,
/// <c>gradWeight_g += gradOutput_g · col_gᵀ</c> and <c>gradInput = col2im(weight_gᵀ · gradOutput_g)</c>.
/// The images go through in chunks whose columns sit side by side, <c>[C_in·K, nb·P]</c>, so
/// each GEMM is wide (one GEMM per image would have only N = P columns and re-pack the weight
/// every time); the chunk size depends only on the layout, never on the thread count, so the
/// weight-gradient sum runs in the same order on any machine. The workspaces are bounded by the
/// chunk and reused from call to call.
/// </summary>
internal sealed class ConvolutionPasses(int maxChunkElements = ConvolutionPasses.DefaultChunkElements)
{
    /// <summary>The largest column or output workspace of a chunk, in floats (8 MB).</summary>
    public const int DefaultChunkElements = 1 << 21;

    /// <summary>The GEMM width a chunk aims at (measured on conv layers of 7×7 to 28×28 outputs, one thread: 800–1600 is best).</summary>
    public const int ChunkWidth = 1024;

    private float[] columns = [], products = [];

    /// <summary>Writes <c>output = weight ⋆ input</c> (no bias).</summary>
    /// <param name="input">Shape [N, C_in, In...].</param>
    /// <param name="weight">Shape [C_out, C_in/groups, k...].</param>
    /// <param name="output">Shape [N, C_out, Out...]; overwritten.</param>
    /// <param name="layout">The sizes.</param>
    public void Forward(float[] input, float[] weight, float[] output, in ConvolutionLayout layout)
    {
        int images = ChunkImages(layout);
        for (int first = 0; first < layout.Batch; first += images)
        {
            var chunk = new ConvolutionChunk(layout, first, Math.Min(images, layout.Batch - first));
            Lower(input, chunk);
            MultiplyGroups(false, weight, columns, products, chunk);
            chunk.ScatterProducts(products, output, layout.OutputChannels);
        }
    }

    /// <summary>Writes <c>gradInput = col2im(weightᵀ · gradOutput)</c>, the adjoint of <see cref="Forward"/>.</summary>
    /// <param name="gradOutput">Shape [N, C_out, Out...].</param>
    /// <param name="weight">Shape [C_out, C_in/groups, k...].</param>
    /// <param name="gradInput">Shape [N, C_in, In...]; overwritten.</param>
    /// <param name="layout">The sizes.</param>
    public void BackwardData(float[] gradOutput, float[] weight, float[] gradInput, in ConvolutionLayout layout)
    {
        int images = ChunkImages(layout);
        for (int first = 0; first < layout.Batch; first += images)
        {
            var chunk = new ConvolutionChunk(layout, first, Math.Min(images, layout.Batch - first));
            Reserve(chunk);
            chunk.GatherProducts(gradOutput, products, layout.OutputChannels);
            MultiplyGroups(true, weight, products, columns, chunk);
            Raise(gradInput, chunk);
        }
    }

    /// <summary>Adds <c>gradOutput · colᵀ</c> into <paramref name="gradWeight"/>, summing over the chunks in image order.</summary>
    /// <param name="input">Shape [N, C_in, In...].</param>
    /// <param name="gradOutput">Shape [N, C_out, Out...].</param>
    /// <param name="gradWeight">Shape [C_out, C_in/groups, k...]; accumulated into.</param>
    /// <param name="layout">The sizes.</param>
    public void BackwardWeight(float[] input, float[] gradOutput, float[] gradWeight, in ConvolutionLayout layout)
    {
        int images = ChunkImages(layout);
        for (int first = 0; first < layout.Batch; first += images)
        {
            var chunk = new ConvolutionChunk(layout, first, Math.Min(images, layout.Batch - first));
            Lower(input, chunk);
            chunk.GatherProducts(gradOutput, products, layout.OutputChannels);
            int width = chunk.Width, rows = layout.OutputChannelsPerGroup, depth = layout.ColumnRowsPerGroup;
            for (int g = 0; g < layout.Groups; g++)
            {
                Gemm.Multiply(
                    false, true, rows, depth, width, 1f,
                    products.AsSpan(g * rows * width, rows * width), width,
                    columns.AsSpan(g * depth * width, depth * width), width,
                    1f, gradWeight.AsSpan(g * rows * depth, rows * depth), depth);
            }
        }
    }

    /// <summary>
    /// Images per chunk: enough for about <see cref="ChunkWidth"/> columns, within the workspace
    /// bound, at least one. Wider chunks stop paying: the columns leave the 1 MB L2 between
    /// im2col and the GEMM, and a GEMM with small K (the first layer's 25) turns memory-bound.
    /// </summary>
    private int ChunkImages(in ConvolutionLayout layout)
    {
        long perImage = Math.Max(Math.Max((long)layout.ColumnSize, layout.OutputImage), 1);
        long wanted = (ChunkWidth + layout.Window.OutputPlane - 1) / Math.Max(layout.Window.OutputPlane, 1);
        return (int)Math.Clamp(Math.Min(wanted, maxChunkElements / perImage), 1, Math.Max(layout.Batch, 1));
    }

    /// <summary>
    /// One GEMM per group on the chunk: <c>products_g = weight_g · columns_g</c> or, transposed,
    /// <c>columns_g = weight_gᵀ · products_g</c>.
    /// </summary>
    private static void MultiplyGroups(bool transposed, float[] weight, float[] source, float[] target, in ConvolutionChunk chunk)
    {
        ConvolutionLayout layout = chunk.Layout;
        int width = chunk.Width, rows = layout.OutputChannelsPerGroup, depth = layout.ColumnRowsPerGroup;
        var (m, k, sourceRows) = transposed ? (depth, rows, rows) : (rows, depth, depth);
        for (int g = 0; g < layout.Groups; g++)
        {
            Gemm.Multiply(
                transposed, false, m, width, k, 1f,
                weight.AsSpan(g * rows * depth, rows * depth), depth,
                source.AsSpan(g * sourceRows * width, sourceRows * width), width,
                0f, target.AsSpan(g * m * width, m * width), width);
        }
    }

    /// <summary>Lowers every image of the chunk into its columns of the shared matrix, images in parallel.</summary>
    private void Lower(float[] input, in ConvolutionChunk chunk)
    {
        Reserve(chunk);
        ConvolutionChunk local = chunk;
        float[] target = columns;
        ConvolutionChunk.ForEachImage(chunk.Count, (long)chunk.ColumnRows * chunk.Layout.Window.OutputPlane, i =>
        {
            ConvolutionLayout layout = local.Layout;
            Im2Col.Run(
                input.AsSpan((local.First + i) * layout.InputImage, layout.InputImage), layout.InputChannels, layout.Window,
                target.AsSpan(i * layout.Window.OutputPlane, local.ColumnSpan), local.Width);
        });
    }

    /// <summary>Overwrites every image of the chunk with the col2im of its columns, images in parallel.</summary>
    private void Raise(float[] gradInput, in ConvolutionChunk chunk)
    {
        ConvolutionChunk local = chunk;
        float[] source = columns;
        ConvolutionChunk.ForEachImage(chunk.Count, (long)chunk.ColumnRows * chunk.Layout.Window.OutputPlane, i =>
        {
            ConvolutionLayout layout = local.Layout;
            Span<float> image = gradInput.AsSpan((local.First + i) * layout.InputImage, layout.InputImage);
            image.Clear();
            Col2ImAdd.Run(source.AsSpan(i * layout.Window.OutputPlane, local.ColumnSpan), local.Width, layout.InputChannels, layout.Window, image);
        });
    }

    /// <summary>Grows the workspaces to the chunk's size; they are kept for the next call.</summary>
    private void Reserve(in ConvolutionChunk chunk)
    {
        int columnSize = chunk.ColumnRows * chunk.Width;
        int productSize = chunk.Layout.OutputChannels * chunk.Width;
        if (columns.Length < columnSize)
        {
            columns = new float[columnSize];
        }
        if (products.Length < productSize)
        {
            products = new float[productSize];
        }
    }
}
