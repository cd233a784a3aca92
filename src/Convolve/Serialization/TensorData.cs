using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Convolve.Tensors;

namespace Convolve.Serialization;

/// <summary>
/// One named tensor of a checkpoint: a dtype, a <see cref="Tensors.Shape"/> and its raw
/// little-endian bytes. Immutable: the constructor and factories copy their input, so a save
/// writes exactly the values it validated.
/// </summary>
public sealed class TensorData
{
    private readonly byte[] bytes;

    /// <summary>Wraps a copy of raw little-endian <paramref name="bytes"/>.</summary>
    /// <exception cref="ArgumentException">The byte count is not <c>shape.Size × dtype size</c>.</exception>
    public TensorData(string name, TensorDType dtype, Shape shape, ReadOnlySpan<byte> bytes)
        : this(bytes.ToArray(), name, dtype, shape)
    {
    }

    // The owning constructor takes the array first so that no call with a byte[] can pick it by
    // overload resolution instead of the copying public one.
    private TensorData(byte[] bytes, string name, TensorDType dtype, Shape shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (!Enum.IsDefined(dtype))
        {
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, $"tensor \"{name}\" has an unknown dtype");
        }
        long expected = checked((long)shape.Size * dtype.ElementSize());
        if (bytes.Length != expected)
        {
            throw new ArgumentException(
                $"tensor \"{name}\" of dtype {dtype.HeaderName()} and shape {shape} needs {expected} bytes but got {bytes.Length}",
                nameof(bytes));
        }
        Name = name;
        DType = dtype;
        Shape = shape;
        this.bytes = bytes;
    }

    /// <summary>The tensor's name, e.g. <c>"conv1.weight"</c> (PyTorch state-dict style).</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public TensorDType DType { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public Shape Shape { get; }

    /// <summary>The raw little-endian bytes, <c>Shape.Size × DType.ElementSize()</c> long.</summary>
    public ReadOnlySpan<byte> Bytes => bytes;

    /// <summary>Number of bytes of data.</summary>
    public int ByteLength => bytes.Length;

    /// <summary>A tensor that takes ownership of <paramref name="bytes"/> (for the reader, which has just allocated them).</summary>
    internal static TensorData Wrap(string name, TensorDType dtype, Shape shape, byte[] bytes) => new(bytes, name, dtype, shape);

    /// <summary>An F32 tensor holding a copy of <paramref name="values"/>.</summary>
    public static TensorData Create(string name, Shape shape, ReadOnlySpan<float> values) => FromValues(name, TensorDType.F32, shape, values);

    /// <summary>An F64 tensor holding a copy of <paramref name="values"/>.</summary>
    public static TensorData Create(string name, Shape shape, ReadOnlySpan<double> values) => FromValues(name, TensorDType.F64, shape, values);

    /// <summary>An I32 tensor holding a copy of <paramref name="values"/>.</summary>
    public static TensorData Create(string name, Shape shape, ReadOnlySpan<int> values) => FromValues(name, TensorDType.I32, shape, values);

    /// <summary>An I64 tensor holding a copy of <paramref name="values"/>.</summary>
    public static TensorData Create(string name, Shape shape, ReadOnlySpan<long> values) => FromValues(name, TensorDType.I64, shape, values);

    /// <summary>A U8 tensor holding a copy of <paramref name="values"/>.</summary>
    public static TensorData Create(string name, Shape shape, ReadOnlySpan<byte> values) => FromValues(name, TensorDType.U8, shape, values);

    /// <summary>An F32 tensor with the shape and a copy of the values of <paramref name="tensor"/>.</summary>
    public static TensorData FromTensor(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Create(name, tensor.Shape, tensor.Data);
    }

    /// <summary>The values of an F32 tensor.</summary>
    /// <exception cref="InvalidOperationException">The dtype is not F32.</exception>
    public float[] ToSingleArray() => ToValues<float>(TensorDType.F32);

    /// <summary>The values of an F64 tensor.</summary>
    /// <exception cref="InvalidOperationException">The dtype is not F64.</exception>
    public double[] ToDoubleArray() => ToValues<double>(TensorDType.F64);

    /// <summary>The values of an I32 tensor.</summary>
    /// <exception cref="InvalidOperationException">The dtype is not I32.</exception>
    public int[] ToInt32Array() => ToValues<int>(TensorDType.I32);

    /// <summary>The values of an I64 tensor.</summary>
    /// <exception cref="InvalidOperationException">The dtype is not I64.</exception>
    public long[] ToInt64Array() => ToValues<long>(TensorDType.I64);

    /// <summary>The values of a U8 tensor.</summary>
    /// <exception cref="InvalidOperationException">The dtype is not U8.</exception>
    public byte[] ToByteArray() => ToValues<byte>(TensorDType.U8);

    /// <summary>An F32 tensor as a new <see cref="Tensor"/>.</summary>
    /// <exception cref="InvalidOperationException">The dtype is not F32.</exception>
    public Tensor ToTensor() => new(Shape, ToSingleArray());

    /// <summary>True when name, dtype, shape and every byte are equal.</summary>
    public bool ContentEquals(TensorData? other) =>
        other is not null && Name == other.Name && DType == other.DType && Shape == other.Shape
        && bytes.AsSpan().SequenceEqual(other.bytes);

    /// <summary>Formats as <c>name: F32 [2, 3]</c>.</summary>
    public override string ToString() => $"{Name}: {DType.HeaderName()} {Shape}";

    /// <summary>The flat index of the first NaN or ±Inf of a float tensor, or −1 (always −1 for integer dtypes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal long IndexOfNonFinite()
    {
        ReadOnlySpan<byte> data = bytes;
        if (DType == TensorDType.F32)
        {
            for (int i = 0; i < data.Length; i += 4)
            {
                // All exponent bits set means Inf (zero mantissa) or NaN (IEEE 754 binary32).
                if ((BinaryPrimitives.ReadInt32LittleEndian(data.Slice(i)) & 0x7F800000) == 0x7F800000)
                {
                    return i / 4;
                }
            }
        }
        else if (DType == TensorDType.F64)
        {
            for (int i = 0; i < data.Length; i += 8)
            {
                if ((BinaryPrimitives.ReadInt64LittleEndian(data.Slice(i)) & 0x7FF0000000000000) == 0x7FF0000000000000)
                {
                    return i / 8;
                }
            }
        }
        return -1;
    }

    private static TensorData FromValues<T>(string name, TensorDType dtype, Shape shape, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (values.Length != shape.Size)
        {
            throw new ArgumentException(
                $"tensor \"{name}\" has {values.Length} values but shape {shape} needs {shape.Size}", nameof(values));
        }
        return Wrap(name, dtype, shape, LittleEndianBytes.FromValues(values));
    }

    private T[] ToValues<T>(TensorDType expected)
        where T : unmanaged
    {
        if (DType != expected)
        {
            throw new InvalidOperationException(
                $"tensor \"{Name}\" holds {DType.HeaderName()} values, not {expected.HeaderName()}");
        }
        return LittleEndianBytes.ToValues<T>(bytes);
    }
}
