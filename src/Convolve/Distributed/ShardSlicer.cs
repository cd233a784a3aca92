using Convolve.Tensors;

namespace Convolve.Distributed;

/// <summary>Copies a run of images out of a batch into a tensor kept per shard size (a tensor cannot view part of another).</summary>
internal sealed class ShardSlicer
{
    private readonly Dictionary<int, Tensor> kept = [];

    /// <summary>Images <c>[start, start + count)</c> of <paramref name="batch"/> (<c>Shape [B, …]</c>), valid until the next call with the same count.</summary>
    public Tensor Slice(Tensor batch, int start, int count)
    {
        if (start == 0 && count == batch.Shape[0])
        {
            return batch;
        }
        int itemSize = batch.Shape.SizeFrom(1);
        if (!kept.TryGetValue(count, out Tensor? shard) || shard.Shape.SizeFrom(1) != itemSize)
        {
            int[] dimensions = batch.Shape.ToArray();
            dimensions[0] = count;
            shard = new Tensor(new Shape(dimensions));
            kept[count] = shard;
        }
        batch.Span.Slice(start * itemSize, count * itemSize).CopyTo(shard.Span);
        return shard;
    }
}
