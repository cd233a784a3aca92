namespace Convolve.Layers;

/// <summary>
/// The column and product matrices of one chunk in flight (<see cref="Im2ColConvolution"/>):
/// one per thread working on chunks, grown to the largest chunk seen and kept for the next call.
/// </summary>
internal sealed class Im2ColWorkspace
{
    /// <summary>The chunk's im2col columns, <c>[C_in·K, width]</c>.</summary>
    public float[] Columns { get; private set; } = [];

    /// <summary>The chunk's outputs or output gradients, <c>[C_out, width]</c>.</summary>
    public float[] Products { get; private set; } = [];

    /// <summary>Grows both matrices to the chunk's size.</summary>
    public void Reserve(in Im2ColChunk chunk)
    {
        int columnSize = chunk.ColumnRows * chunk.Width;
        int productSize = chunk.Layout.OutputChannels * chunk.Width;
        if (Columns.Length < columnSize)
        {
            Columns = new float[columnSize];
        }
        if (Products.Length < productSize)
        {
            Products = new float[productSize];
        }
    }
}
