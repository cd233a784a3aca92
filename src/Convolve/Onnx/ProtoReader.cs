using System.Buffers.Binary;
using System.Text;

namespace Convolve.Onnx;

/// <summary>
/// A strict Protocol Buffers decoder over one message's bytes (the inverse of
/// <see cref="ProtoWriter"/>): it reads keys and values in order, knows every position as an
/// absolute file offset, and reports any breach of the wire format as an
/// <see cref="OnnxFormatException"/> naming the file and that offset — a varint longer than ten
/// bytes, a length running past the end of its message, field number 0, the deprecated group
/// wire types (3, 4) or undefined ones (6, 7), invalid UTF-8. Nothing is allocated from a length
/// before that length has been checked against the bytes that remain.
/// </summary>
internal sealed class ProtoReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly byte[] bytes;
    private readonly int end;
    private int position;

    /// <summary>A reader over the whole of <paramref name="data"/>, named <paramref name="source"/> in errors.</summary>
    public ProtoReader(byte[] data, string source)
        : this(data, 0, data.Length, source)
    {
    }

    private ProtoReader(byte[] data, int start, int end, string source)
    {
        bytes = data;
        position = start;
        this.end = end;
        Source = source;
    }

    /// <summary>The file name used in errors.</summary>
    public string Source { get; }

    /// <summary>The absolute offset of the next byte to read.</summary>
    public int Position => position;

    /// <summary>Reads the next key; false at the end of the message.</summary>
    public bool TryReadKey(out int field, out int wireType)
    {
        if (position >= end)
        {
            (field, wireType) = (0, 0);
            return false;
        }
        int at = position;
        ulong key = ReadVarint();
        if (key >> 3 is 0 or > int.MaxValue)
        {
            throw Error(at, $"field number {key >> 3} is not valid (1 to 536,870,911)");
        }
        (field, wireType) = ((int)(key >> 3), (int)(key & 7));
        if (wireType is not (ProtoWriter.Varint or ProtoWriter.Fixed64 or ProtoWriter.LengthDelimited or ProtoWriter.Fixed32))
        {
            throw Error(at, $"field {field} has wire type {wireType}, which is {(wireType is 3 or 4 ? "a deprecated group" : "undefined")}");
        }
        return true;
    }

    /// <summary>Reads a varint field's value as <c>int64</c> after checking the wire type.</summary>
    public long ReadInt64(int field, int wireType)
    {
        Expect(field, wireType, ProtoWriter.Varint, "an integer");
        return unchecked((long)ReadVarint());
    }

    /// <summary>Reads a varint field's value as <c>int32</c>/enum: it must fit.</summary>
    public int ReadInt32(int field, int wireType)
    {
        int at = position;
        long value = ReadInt64(field, wireType);
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Error(at, $"field {field} holds {value}, which does not fit a 32-bit integer");
    }

    /// <summary>Reads a <c>float</c> field.</summary>
    public float ReadFloat(int field, int wireType)
    {
        Expect(field, wireType, ProtoWriter.Fixed32, "a float");
        return BinaryPrimitives.ReadSingleLittleEndian(Take(4, field));
    }

    /// <summary>Reads a <c>string</c> field (strict UTF-8).</summary>
    public string ReadString(int field, int wireType)
    {
        int at = position;
        ReadOnlySpan<byte> value = ReadBytes(field, wireType);
        try
        {
            return StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException ex)
        {
            throw Error(at, $"field {field} is not valid UTF-8 text", ex);
        }
    }

    /// <summary>Reads a <c>bytes</c> field as a span of the file.</summary>
    public ReadOnlySpan<byte> ReadBytes(int field, int wireType)
    {
        Expect(field, wireType, ProtoWriter.LengthDelimited, "a length-delimited value");
        int length = ReadLength(field);
        return Take(length, field);
    }

    /// <summary>Reads a nested message field; the returned reader covers exactly its bytes.</summary>
    public ProtoReader ReadMessage(int field, int wireType)
    {
        Expect(field, wireType, ProtoWriter.LengthDelimited, "a message");
        int length = ReadLength(field);
        var child = new ProtoReader(bytes, position, position + length, Source);
        position += length;
        return child;
    }

    /// <summary>Reads one element of a <c>repeated int64</c> field, or a packed run of them, into <paramref name="values"/>.</summary>
    public void ReadInt64s(int field, int wireType, List<long> values)
    {
        if (wireType != ProtoWriter.LengthDelimited)
        {
            values.Add(ReadInt64(field, wireType));
            return;
        }
        ProtoReader packed = ReadMessage(field, wireType);
        while (packed.position < packed.end)
        {
            values.Add(unchecked((long)packed.ReadVarint()));
        }
    }

    /// <summary>Reads one element of a <c>repeated float</c> field, or a packed run of them, into <paramref name="values"/>.</summary>
    public void ReadFloats(int field, int wireType, List<float> values)
    {
        if (wireType != ProtoWriter.LengthDelimited)
        {
            values.Add(ReadFloat(field, wireType));
            return;
        }
        int at = position;
        ReadOnlySpan<byte> run = ReadBytes(field, wireType);
        if (run.Length % sizeof(float) != 0)
        {
            throw Error(at, $"packed floats of field {field} take {run.Length} bytes, not a multiple of 4");
        }
        for (int i = 0; i < run.Length; i += sizeof(float))
        {
            values.Add(BinaryPrimitives.ReadSingleLittleEndian(run[i..]));
        }
    }

    /// <summary>Skips a field this decoder does not use.</summary>
    public void Skip(int field, int wireType)
    {
        switch (wireType)
        {
            case ProtoWriter.Varint:
                ReadVarint();
                break;
            case ProtoWriter.Fixed64:
                Take(8, field);
                break;
            case ProtoWriter.Fixed32:
                Take(4, field);
                break;
            default:
                Take(ReadLength(field), field);
                break;
        }
    }

    /// <summary>An error at <paramref name="offset"/> of this file.</summary>
    public OnnxFormatException Error(long offset, string problem, Exception? inner = null) => new(Source, offset, problem, inner);

    private void Expect(int field, int wireType, int expected, string what)
    {
        if (wireType != expected)
        {
            throw Error(position, $"field {field} should hold {what} (wire type {expected}) but has wire type {wireType}");
        }
    }

    private int ReadLength(int field)
    {
        int at = position;
        ulong length = ReadVarint();
        return length <= (ulong)(end - position)
            ? (int)length
            : throw Error(at, $"field {field} claims {length:N0} bytes but only {end - position:N0} remain in its message");
    }

    private ReadOnlySpan<byte> Take(int count, int field)
    {
        if (count > end - position)
        {
            throw Error(position, $"field {field} needs {count} bytes but only {end - position} remain in its message");
        }
        var span = new ReadOnlySpan<byte>(bytes, position, count);
        position += count;
        return span;
    }

    private ulong ReadVarint()
    {
        int start = position;
        ulong value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (position >= end)
            {
                throw Error(start, "a varint runs past the end of its message");
            }
            byte b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
        throw Error(start, "a varint is longer than 10 bytes");
    }
}
