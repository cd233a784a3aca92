namespace Convolve.Tensors;

/// <summary>
/// A dense row-major int32 array with a shape, used for max-pooling switches: each element is
/// the flat index, within its (n, c) plane of the pooling input, of the value that won the max
/// (PyTorch's <c>return_indices</c> convention).
/// </summary>
public sealed class IndexTensor
{
    /// <summary>Wraps existing storage; the array's length must equal the shape's size.</summary>
    public IndexTensor(Shape shape, int[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != shape.Size)
        {
            throw new ArgumentException(
                $"index data has {data.Length} elements but shape {shape} needs {shape.Size}", nameof(data));
        }
        Shape = shape;
        Data = data;
    }

    /// <summary>Allocates a zero-filled index tensor.</summary>
    public IndexTensor(Shape shape) : this(shape, new int[(shape ?? throw new ArgumentNullException(nameof(shape))).Size])
    {
    }

    /// <summary>The shape.</summary>
    public Shape Shape { get; }

    /// <summary>The backing storage, row-major.</summary>
    public int[] Data { get; }
}
