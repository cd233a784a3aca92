using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// Images <c>First … First + Count − 1</c> of a batch, handled by <see cref="Im2ColConvolution"/>
/// as one wide matrix: column <c>i·P + p</c> of the chunk is position p of image First + i, where P
/// is the output plane. All the data movement of a chunk lives here: im2col lowering into the
/// column matrix and col2im raising out of it (images in parallel), moving products between the
/// chunk's <c>[C, Count·P]</c> layout and the batch's NCHW layout, and the in-place views where the
/// batch already has the matrix's layout (one image's NCHW output is its <c>[C_out, P]</c> product
/// matrix; a pointwise convolution's image is its own column matrix).
/// </summary>
internal readonly record struct Im2ColChunk(ConvolutionLayout Layout, int First, int Count)
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

    /// <summary>The chunk's column matrix: the image itself for one image of a pointwise convolution, else lowered into the workspace.</summary>
    public ReadOnlySpan<float> Columns(float[] input, Im2ColWorkspace workspace)
    {
        if (Count == 1 && Layout.IsPointwise)
        {
            return Inputs(input);
        }
        workspace.Reserve(this);
        Im2ColChunk chunk = this;
        float[] target = workspace.Columns;
        ForEachImage(i =>
        {
            ConvolutionLayout layout = chunk.Layout;
            Im2Col.Run(
                input.AsSpan((chunk.First + i) * layout.InputImage, layout.InputImage), layout.InputChannels, layout.Window,
                target.AsSpan(i * layout.Window.OutputPlane, chunk.ColumnSpan), chunk.Width);
        }, ColumnRows);
        return workspace.Columns.AsSpan(0, ColumnRows * Width);
    }

    /// <summary>The chunk's <c>[C_out, width]</c> output gradients: one image's NCHW slice as it is, else gathered into the workspace.</summary>
    public ReadOnlySpan<float> Products(float[] gradOutput, Im2ColWorkspace workspace)
    {
        if (Count == 1)
        {
            return Outputs(gradOutput);
        }
        workspace.Reserve(this);
        MoveProducts(gradOutput, workspace.Products, toProducts: true);
        return workspace.Products.AsSpan(0, Layout.OutputChannels * Width);
    }

    /// <summary>Copies the chunk's <c>[C_out, Count·P]</c> products into its images of <paramref name="batch"/> (Shape [N, C_out, P]).</summary>
    public void ScatterProducts(float[] products, float[] batch) => MoveProducts(batch, products, toProducts: false);

    /// <summary>Overwrites every image of the chunk in <paramref name="gradInput"/> with the col2im of the workspace's columns.</summary>
    public void Raise(float[] gradInput, Im2ColWorkspace workspace)
    {
        Im2ColChunk chunk = this;
        float[] source = workspace.Columns;
        ForEachImage(i =>
        {
            ConvolutionLayout layout = chunk.Layout;
            Span<float> image = gradInput.AsSpan((chunk.First + i) * layout.InputImage, layout.InputImage);
            image.Clear();
            Col2ImAdd.Run(source.AsSpan(i * layout.Window.OutputPlane, chunk.ColumnSpan), chunk.Width, layout.InputChannels, layout.Window, image);
        }, ColumnRows);
    }

    /// <summary>Moves every image's <c>[C_out, P]</c> block between the batch and the chunk's product matrix.</summary>
    private void MoveProducts(float[] batch, float[] products, bool toProducts)
    {
        Im2ColChunk chunk = this;
        int channels = Layout.OutputChannels;
        ForEachImage(i =>
        {
            int plane = chunk.Layout.Window.OutputPlane, width = chunk.Width, image = (chunk.First + i) * channels * plane;
            for (int c = 0; c < channels; c++)
            {
                Span<float> inBatch = batch.AsSpan(image + (c * plane), plane), inProducts = products.AsSpan((c * width) + (i * plane), plane);
                if (toProducts)
                {
                    inBatch.CopyTo(inProducts);
                }
                else
                {
                    inProducts.CopyTo(inBatch);
                }
            }
        }, channels);
    }

    /// <summary>Runs <paramref name="body"/> for images 0 … Count − 1, each moving <paramref name="rows"/> rows of P elements; each image writes only its own elements.</summary>
    private void ForEachImage(Action<int> body, int rows) =>
        Parallelism.For(Count, (long)rows * Layout.Window.OutputPlane, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                body(i);
            }
        });
}
