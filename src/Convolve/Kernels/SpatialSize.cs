namespace Convolve.Kernels;

/// <summary>
/// A size given per spatial dimension, or once for all of them, as PyTorch's <c>int or tuple</c>
/// arguments: <c>3</c>, <c>(3, 5)</c> or <c>new[] { 1, 3, 3 }</c>. The default value means
/// "not given"; each layer documents what that falls back to.
/// </summary>
public readonly struct SpatialSize : IEquatable<SpatialSize>
{
    private readonly int[]? values;

    private SpatialSize(int[] values) => this.values = values;

    /// <summary>True unless this is the default ("not given") value.</summary>
    public bool IsSpecified => values is not null;

    /// <summary>The same size for every spatial dimension.</summary>
    public static implicit operator SpatialSize(int value) => new([value]);

    /// <summary>Sizes for two spatial dimensions (height, width).</summary>
    public static implicit operator SpatialSize((int, int) value) => new([value.Item1, value.Item2]);

    /// <summary>Sizes for three spatial dimensions (depth, height, width).</summary>
    public static implicit operator SpatialSize((int, int, int) value) => new([value.Item1, value.Item2, value.Item3]);

    /// <summary>Sizes given as an array, one per spatial dimension (or a single one for all).</summary>
    public static implicit operator SpatialSize(int[] value) => new((int[])(value ?? throw new ArgumentNullException(nameof(value))).Clone());

    /// <summary>Same as the implicit conversion from <see cref="int"/>.</summary>
    public static SpatialSize FromInt32(int value) => value;

    /// <summary>Same as the implicit conversion from an array.</summary>
    public static SpatialSize FromArray(int[] value) => value;

    /// <summary>
    /// Expands to one value per spatial dimension. A single value is repeated; an unspecified size
    /// takes <paramref name="fallback"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The number of values is neither 1 nor <paramref name="spatialDims"/>.</exception>
    public int[] Resolve(int spatialDims, string name, int[] fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        if (values is null)
        {
            return (int[])fallback.Clone();
        }
        if (values.Length == 1)
        {
            return Enumerable.Repeat(values[0], spatialDims).ToArray();
        }
        if (values.Length != spatialDims)
        {
            throw new ArgumentException(
                $"{name} needs 1 or {spatialDims} values but got {values.Length}: {Tensors.Shape.Format(values)}", name);
        }
        return (int[])values.Clone();
    }

    /// <inheritdoc/>
    public bool Equals(SpatialSize other) =>
        values is null ? other.values is null : other.values is not null && values.AsSpan().SequenceEqual(other.values);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SpatialSize other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => values is null ? 0 : values.Aggregate(17, (h, v) => h * 31 + v);

    /// <inheritdoc/>
    public override string ToString() => values is null ? "default" : values.Length == 1 ? values[0].ToString() : Tensors.Shape.Format(values);

    /// <summary>Value equality.</summary>
    public static bool operator ==(SpatialSize left, SpatialSize right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(SpatialSize left, SpatialSize right) => !left.Equals(right);
}
