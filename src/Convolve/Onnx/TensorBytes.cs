using System.Buffers.Binary;

namespace Convolve.Onnx;

/// <summary>Little-endian tensor bytes (ONNX's <c>raw_data</c>) to and from arrays, and the one matrix transpose the weights need.</summary>
internal static class TensorBytes
{
    /// <summary>Writes <paramref name="values"/> as little-endian float32.</summary>
    public static void WriteSingles(ReadOnlySpan<float> values, Span<byte> bytes)
    {
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes[(i * sizeof(float))..], values[i]);
        }
    }

    /// <summary>Writes <paramref name="values"/> as little-endian int64.</summary>
    public static void WriteInt64s(ReadOnlySpan<long> values, Span<byte> bytes)
    {
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes[(i * sizeof(long))..], values[i]);
        }
    }

    /// <summary>Reads little-endian float32 values.</summary>
    public static float[] ReadSingles(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }
        return values;
    }

    /// <summary>Reads little-endian int64 values.</summary>
    public static long[] ReadInt64s(ReadOnlySpan<byte> bytes)
    {
        var values = new long[bytes.Length / sizeof(long)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes[(i * sizeof(long))..]);
        }
        return values;
    }

    /// <summary>The transpose of a row-major <paramref name="rows"/>×<paramref name="columns"/> matrix.</summary>
    public static float[] Transpose(float[] values, int rows, int columns)
    {
        var result = new float[values.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                result[c * rows + r] = values[r * columns + c];
            }
        }
        return result;
    }
}
