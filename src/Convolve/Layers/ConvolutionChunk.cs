using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// Images <c>First … First + Count − 1</c> of a batch, handled by <see cref="ConvolutionPasses"/>
/// as one wide matrix: column <c>i·P + p</c> of the chunk is position p of image First + i,
/// where P is the output plane. Moves the GEMM results between that layout, <c>[C, Count·P]</c>,
/// and the batch's NCHW layout, <c>[N, C, P]</c>.
/// </summary>
internal readonly record struct ConvolutionChunk(ConvolutionLayout Layout, int First, int Count)
{
    /// <summary>Columns of the chunk's matrices, <c>Count·P</c>.</summary>
    public int Width => Count * Layout.Window.OutputPlane;

    /// <summary>Rows of the column matrix, <c>C_in·K</c>.</summary>
    public int ColumnRows => Layout.InputChannels * Layout.Window.KernelVolume;

    /// <summary>Elements from the first column of one image to its last, over all column rows.</summary>
    public int ColumnSpan => (ColumnRows - 1) * Width + Layout.Window.OutputPlane;

    /// <summary>The chunk's images of an input-side batch (Shape [N, C_in, In...]), contiguous.</summary>
    public Span<float> Inputs(float[] batch) => batch.AsSpan(First * Layout.InputImage, Count * Layout.InputImage);

    /// <summary>The chunk's images of an output-side batch (Shape [N, C_out, Out...]), contiguous.</summary>
    public Span<float> Outputs(float[] batch) => batch.AsSpan(First * Layout.OutputImage, Count * Layout.OutputImage);

    /// <summary>Copies the chunk's <c>[C, Count·P]</c> products into its images of <paramref name="batch"/> (Shape [N, C, P]).</summary>
    public void ScatterProducts(float[] products, float[] batch, int channels)
    {
        ConvolutionChunk chunk = this;
        ForEachImage(Count, (long)channels * Layout.Window.OutputPlane, i =>
        {
            int plane = chunk.Layout.Window.OutputPlane, width = chunk.Width, image = (chunk.First + i) * channels * plane;
            for (int c = 0; c < channels; c++)
            {
                products.AsSpan(c * width + i * plane, plane).CopyTo(batch.AsSpan(image + c * plane, plane));
            }
        });
    }

    /// <summary>Copies the chunk's images of <paramref name="batch"/> (Shape [N, C, P]) into <c>[C, Count·P]</c> products.</summary>
    public void GatherProducts(float[] batch, float[] products, int channels)
    {
        ConvolutionChunk chunk = this;
        ForEachImage(Count, (long)channels * Layout.Window.OutputPlane, i =>
        {
            int plane = chunk.Layout.Window.OutputPlane, width = chunk.Width, image = (chunk.First + i) * channels * plane;
            for (int c = 0; c < channels; c++)
            {
                batch.AsSpan(image + c * plane, plane).CopyTo(products.AsSpan(c * width + i * plane, plane));
            }
        });
    }

    /// <summary>
    /// Fewer elements than this per chunk are moved faster on one thread than handed to the
    /// thread pool (measured: Conv2d(1,32,5,p=2) forward on 64 images took 11.7 ms on 2 threads
    /// against 4.8 ms on 1 while each chunk moved about 40,000 floats in parallel).
    /// </summary>
    public const long MinParallelElements = 1L << 18;

    /// <summary>
    /// Runs <paramref name="body"/> for images 0 … count − 1 on up to <see cref="Parallelism.MaxThreads"/>
    /// threads when the chunk moves at least <see cref="MinParallelElements"/> elements. Each image
    /// writes only its own elements, so the result does not depend on the split.
    /// </summary>
    public static void ForEachImage(int count, long elementsPerImage, Action<int> body)
    {
        if (Parallelism.MaxThreads <= 1 || count <= 1 || count * elementsPerImage < MinParallelElements || Parallelism.IsInsidePart)
        {
            for (int i = 0; i < count; i++)
            {
                body(i);
            }
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism.MaxThreads }, body);
    }
}
