using Convolve.Tensors;

namespace Convolve.Training;

/// <summary>
/// Copies consecutive batches along the first dimension of a tensor into two reused buffers (full
/// batches and the shorter last one), since a <see cref="Tensor"/> cannot view a slice of another.
/// </summary>
internal sealed class BatchSlicer
{
    private readonly Tensor source;
    private readonly int itemSize;
    private Tensor? full, last;

    /// <summary>Slices <paramref name="source"/> (<c>Shape [N, …]</c>) into batches of <paramref name="batchSize"/>.</summary>
    public BatchSlicer(Tensor source, int batchSize)
    {
        (this.source, BatchSize, itemSize) = (source, batchSize, source.Shape.SizeFrom(1));
    }

    /// <summary>Items per full batch.</summary>
    public int BatchSize { get; }

    /// <summary>The batch of items <c>[start, start + min(BatchSize, N − start))</c>, valid until the next call.</summary>
    public Tensor Slice(int start)
    {
        int count = Math.Min(BatchSize, source.Shape[0] - start);
        ref Tensor? buffer = ref count == BatchSize ? ref full : ref last;
        if (buffer is null || buffer.Shape[0] != count)
        {
            int[] dimensions = source.Shape.ToArray();
            dimensions[0] = count;
            buffer = new Tensor(new Shape(dimensions));
        }
        source.Span.Slice(start * itemSize, count * itemSize).CopyTo(buffer.Span);
        return buffer;
    }
}
