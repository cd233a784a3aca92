using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// The few result buffers a layer keeps when <see cref="Layer.ReuseBuffers"/> is on, one per
/// recent shape, most recently used first. A single slot is not enough: an epoch ends with a
/// shorter batch (60,000 = 937·64 + 32) and evaluation ends with another (10,000 = 156·64 + 16),
/// and a single slot replaced its buffers at each switch, which left about 70 MB of large-object
/// garbage per epoch for a gen-2 collection to find and let the peak memory of a 10-epoch run climb.
/// </summary>
/// <param name="create">Allocates a buffer of a shape.</param>
/// <param name="shapeOf">The shape of a buffer.</param>
internal sealed class ReusedBuffers<T>(Func<Shape, T> create, Func<T, Shape> shapeOf) where T : class
{
    /// <summary>Shapes kept at once: full and last batch of training and of evaluation.</summary>
    public const int Capacity = 4;

    private readonly List<T> items = [];

    /// <summary>The kept buffer of <paramref name="shape"/>, or a new one (dropping the least recently used beyond <see cref="Capacity"/>).</summary>
    /// <param name="shape">The wanted shape.</param>
    /// <param name="reused">True when the buffer was kept from an earlier call (and holds its values).</param>
    public T Get(Shape shape, out bool reused)
    {
        for (int i = 0; i < items.Count; i++)
        {
            T item = items[i];
            if (shapeOf(item) == shape)
            {
                items.RemoveAt(i);
                items.Insert(0, item);
                reused = true;
                return item;
            }
        }
        T created = create(shape);
        items.Insert(0, created);
        if (items.Count > Capacity)
        {
            items.RemoveAt(items.Count - 1);
        }
        reused = false;
        return created;
    }

    /// <summary>Forgets every kept buffer.</summary>
    public void Clear() => items.Clear();
}
