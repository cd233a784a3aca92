using Convolve.Tensors;

namespace Convolve.Data;

/// <summary>
/// The content of an IDX file: an element type, a shape of rank 1 to 4 and the elements,
/// row-major, as an array of the matching .NET type (<c>byte[]</c>, <c>sbyte[]</c>, <c>short[]</c>,
/// <c>int[]</c>, <c>float[]</c> or <c>double[]</c>).
/// </summary>
public sealed class IdxArray
{
    /// <summary>The highest rank accepted: Convolve's data are labels [N] and images [N, H, W] or [N, C, H, W].</summary>
    public const int MaxRank = 4;

    /// <summary>Unsigned bytes, e.g. MNIST images [N, H, W] or labels [N].</summary>
    public IdxArray(Shape shape, byte[] data) : this(IdxElementType.UnsignedByte, shape, data) { }

    /// <summary>Signed bytes.</summary>
    public IdxArray(Shape shape, sbyte[] data) : this(IdxElementType.SignedByte, shape, data) { }

    /// <summary>16-bit integers.</summary>
    public IdxArray(Shape shape, short[] data) : this(IdxElementType.Int16, shape, data) { }

    /// <summary>32-bit integers.</summary>
    public IdxArray(Shape shape, int[] data) : this(IdxElementType.Int32, shape, data) { }

    /// <summary>float32 values.</summary>
    public IdxArray(Shape shape, float[] data) : this(IdxElementType.Float32, shape, data) { }

    /// <summary>float64 values.</summary>
    public IdxArray(Shape shape, double[] data) : this(IdxElementType.Float64, shape, data) { }

    private IdxArray(IdxElementType elementType, Shape shape, Array data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (shape.Rank is < 1 or > MaxRank)
        {
            throw new ArgumentException($"an IDX array must have rank 1 to {MaxRank} but shape {shape} has rank {shape.Rank}", nameof(shape));
        }
        if (data.Length != shape.Size)
        {
            throw new ArgumentException($"IDX data has {data.Length} elements but shape {shape} needs {shape.Size}", nameof(data));
        }
        ElementType = elementType;
        Shape = shape;
        Data = data;
    }

    /// <summary>The element type written in the file's magic number.</summary>
    public IdxElementType ElementType { get; }

    /// <summary>The dimensions, outermost (the item count) first.</summary>
    public Shape Shape { get; }

    /// <summary>The elements, row-major, as an array of the element type's .NET type.</summary>
    public Array Data { get; }

    // The exact type is compared: the CLR lets an sbyte[] be cast to byte[] (and int[] to uint[]).

    /// <summary>The elements as <typeparamref name="T"/>[]; the type must be the one that matches <see cref="ElementType"/>.</summary>
    /// <exception cref="InvalidOperationException">The elements are of another type.</exception>
    public T[] GetData<T>() where T : unmanaged =>
        Data.GetType() == typeof(T[]) ? (T[])Data : throw new InvalidOperationException(
            $"the IDX elements are {Describe(ElementType)} ({Data.GetType().Name}) but {typeof(T).Name}[] was asked for");

    /// <summary>The size in bytes of one element of <paramref name="elementType"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined element type.</exception>
    public static int ElementSize(IdxElementType elementType) => elementType switch
    {
        IdxElementType.UnsignedByte or IdxElementType.SignedByte => 1,
        IdxElementType.Int16 => 2,
        IdxElementType.Int32 or IdxElementType.Float32 => 4,
        IdxElementType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(elementType), $"0x{(byte)elementType:X2} is not an IDX element type"),
    };

    /// <summary>A name and code such as <c>ubyte (0x08)</c>, as messages show element types.</summary>
    public static string Describe(IdxElementType elementType)
    {
        string name = elementType switch
        {
            IdxElementType.UnsignedByte => "ubyte",
            IdxElementType.SignedByte => "sbyte",
            IdxElementType.Int16 => "int16",
            IdxElementType.Int32 => "int32",
            IdxElementType.Float32 => "float32",
            IdxElementType.Float64 => "float64",
            _ => "unknown",
        };
        return $"{name} (0x{(byte)elementType:X2})";
    }

    /// <summary>Allocates a zero-filled array of the .NET type that holds <paramref name="elementType"/>.</summary>
    internal static IdxArray Allocate(IdxElementType elementType, Shape shape) => elementType switch
    {
        IdxElementType.UnsignedByte => new IdxArray(shape, new byte[shape.Size]),
        IdxElementType.SignedByte => new IdxArray(shape, new sbyte[shape.Size]),
        IdxElementType.Int16 => new IdxArray(shape, new short[shape.Size]),
        IdxElementType.Int32 => new IdxArray(shape, new int[shape.Size]),
        IdxElementType.Float32 => new IdxArray(shape, new float[shape.Size]),
        IdxElementType.Float64 => new IdxArray(shape, new double[shape.Size]),
        _ => throw new ArgumentOutOfRangeException(nameof(elementType)),
    };
}
