namespace Convolve.Kernels;

/// <summary>
/// Zero padding of a convolution or pooling window: explicit sizes per spatial dimension (as
/// PyTorch's <c>int or tuple</c>), or one of the named modes of the convolution arithmetic:
/// <see cref="Valid"/> (no padding), <see cref="Same"/> (output size equals input size; stride 1
/// only; an odd total is split with the extra element after, as PyTorch does) and
/// <see cref="Full"/> (<c>d·(k − 1)</c> on each side, every partial overlap counted).
/// Strings <c>"valid"</c>, <c>"same"</c> and <c>"full"</c> convert implicitly.
/// </summary>
public readonly struct Padding : IEquatable<Padding>
{
    private readonly SpatialSize size;

    private Padding(PaddingMode mode, SpatialSize size)
    {
        Mode = mode;
        this.size = size;
    }

    /// <summary>Which kind of padding this is.</summary>
    public PaddingMode Mode { get; }

    /// <summary>No padding.</summary>
    public static Padding Valid => new(PaddingMode.Valid, default);

    /// <summary>Padding that keeps the spatial size (stride 1 only).</summary>
    public static Padding Same => new(PaddingMode.Same, default);

    /// <summary>Padding of <c>d·(k − 1)</c> on each side.</summary>
    public static Padding Full => new(PaddingMode.Full, default);

    /// <summary>Explicit, symmetric padding per spatial dimension.</summary>
    public static Padding Explicit(SpatialSize size) => new(PaddingMode.Explicit, size);

    /// <summary>The same explicit padding on every side.</summary>
    public static implicit operator Padding(int value) => Explicit(value);

    /// <summary>Explicit padding for (height, width).</summary>
    public static implicit operator Padding((int, int) value) => Explicit(value);

    /// <summary>Explicit padding for (depth, height, width).</summary>
    public static implicit operator Padding((int, int, int) value) => Explicit(value);

    /// <summary>Explicit padding, one value per spatial dimension.</summary>
    public static implicit operator Padding(int[] value) => Explicit(value);

    /// <summary>A named mode: <c>"valid"</c>, <c>"same"</c> or <c>"full"</c>.</summary>
    public static implicit operator Padding(string mode) => Parse(mode);

    /// <summary>Parses <c>"valid"</c>, <c>"same"</c> or <c>"full"</c> (case-insensitive).</summary>
    public static Padding Parse(string mode) => mode?.ToLowerInvariant() switch
    {
        "valid" => Valid,
        "same" => Same,
        "full" => Full,
        _ => throw new ArgumentException($"padding must be a size or one of \"valid\", \"same\", \"full\" but got \"{mode}\"", nameof(mode)),
    };

    /// <summary>Same as the implicit conversion from <see cref="int"/>.</summary>
    public static Padding FromInt32(int value) => value;

    /// <summary>Same as the implicit conversion from <see cref="string"/>.</summary>
    public static Padding FromString(string mode) => Parse(mode);

    /// <summary>Same as the implicit conversion from an array.</summary>
    public static Padding FromArray(int[] value) => value;

    /// <summary>The explicit sizes, one per spatial dimension (zero when not given).</summary>
    internal int[] ResolveExplicit(int spatialDims) => size.Resolve(spatialDims, "padding", new int[spatialDims]);

    /// <inheritdoc/>
    public bool Equals(Padding other) => Mode == other.Mode && size == other.size;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Padding other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Mode, size);

    /// <inheritdoc/>
    public override string ToString() => Mode == PaddingMode.Explicit ? (size.IsSpecified ? size.ToString() : "0") : Mode.ToString().ToLowerInvariant();

    /// <summary>Value equality.</summary>
    public static bool operator ==(Padding left, Padding right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Padding left, Padding right) => !left.Equals(right);
}

/// <summary>The kinds of <see cref="Padding"/>.</summary>
public enum PaddingMode
{
    /// <summary>Sizes given explicitly (the default: zero).</summary>
    Explicit,

    /// <summary>No padding.</summary>
    Valid,

    /// <summary>Keep the spatial size at stride 1.</summary>
    Same,

    /// <summary><c>d·(k − 1)</c> on each side.</summary>
    Full,
}
