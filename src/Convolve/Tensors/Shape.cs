using System.Collections;

namespace Convolve.Tensors;

/// <summary>
/// An immutable list of dimension sizes, outermost first (row-major), such as
/// <c>[N, C, H, W]</c>. Dimensions are non-negative; the element
/// count is checked against overflow when the shape is made.
/// </summary>
public sealed class Shape : IEquatable<Shape>, IReadOnlyList<int>
{
    private readonly int[] dimensions;

    /// <summary>Creates a shape from its dimension sizes, outermost first.</summary>
    /// <exception cref="ArgumentException">A dimension is negative or the element count overflows.</exception>
    public Shape(params ReadOnlySpan<int> dimensions)
    {
        long size = 1;
        for (int i = 0; i < dimensions.Length; i++)
        {
            if (dimensions[i] < 0)
            {
                throw new ArgumentException(
                    $"shape dimensions must be non-negative but dimension {i} of {Format(dimensions)} is {dimensions[i]}",
                    nameof(dimensions));
            }
            size *= dimensions[i];
            if (size > Array.MaxLength)
            {
                throw new ArgumentException(
                    $"shape {Format(dimensions)} has more than {Array.MaxLength} elements", nameof(dimensions));
            }
        }
        this.dimensions = dimensions.ToArray();
        Size = (int)size;
    }

    /// <summary>Number of dimensions.</summary>
    public int Rank => dimensions.Length;

    /// <summary>Total number of elements, the product of all dimensions.</summary>
    public int Size { get; }

    /// <summary>Number of dimensions (same as <see cref="Rank"/>).</summary>
    public int Count => dimensions.Length;

    /// <summary>The size of dimension <paramref name="index"/>; negative indices count from the end.</summary>
    public int this[int index] => dimensions[index < 0 ? dimensions.Length + index : index];

    /// <summary>The dimensions as a read-only span.</summary>
    public ReadOnlySpan<int> Dimensions => dimensions;

    /// <summary>Product of the dimensions from <paramref name="start"/> to the end.</summary>
    public int SizeFrom(int start)
    {
        int size = 1;
        for (int i = start; i < dimensions.Length; i++)
        {
            size *= dimensions[i];
        }
        return size;
    }

    /// <summary>A copy of the dimensions.</summary>
    public int[] ToArray() => (int[])dimensions.Clone();

    /// <inheritdoc/>
    public bool Equals(Shape? other) =>
        other is not null && dimensions.AsSpan().SequenceEqual(other.dimensions);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Shape);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in dimensions)
        {
            hash.Add(d);
        }
        return hash.ToHashCode();
    }

    /// <summary>Formats the shape as <c>[8, 1, 28, 28]</c>.</summary>
    public override string ToString() => Format(dimensions);

    /// <summary>Formats a list of sizes as <c>[a, b, c]</c>, the way every error message shows shapes.</summary>
    public static string Format(ReadOnlySpan<int> values) => "[" + string.Join(", ", values.ToArray()) + "]";

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)dimensions).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => dimensions.GetEnumerator();

    /// <summary>Value equality.</summary>
    public static bool operator ==(Shape? left, Shape? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Shape? left, Shape? right) => !(left == right);
}
