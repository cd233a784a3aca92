using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Convolve.Onnx;

/// <summary>
/// A minimal Protocol Buffers encoder (proto2/proto3 binary wire format, protobuf.dev
/// "Encoding"): every field is a key <c>(field number &lt;&lt; 3) | wire type</c> written as a
/// varint, then its value — a varint (wire type 0: integers, enums, booleans), a little-endian
/// 4-byte value (wire type 5: float), or a length-prefixed run of bytes (wire type 2: strings,
/// bytes, nested messages and packed repeated numbers). Varints are 7 bits per byte, low bits
/// first, the high bit set on every byte but the last; negative int64 values take ten bytes
/// (two's complement, no zig-zag, as <c>int64</c> fields are). Nested messages are encoded into
/// a child writer first, so their length is known before it is written.
/// </summary>
internal sealed class ProtoWriter
{
    /// <summary>Wire type of varint fields.</summary>
    public const int Varint = 0;

    /// <summary>Wire type of 8-byte little-endian fields.</summary>
    public const int Fixed64 = 1;

    /// <summary>Wire type of length-delimited fields.</summary>
    public const int LengthDelimited = 2;

    /// <summary>Wire type of 4-byte little-endian fields.</summary>
    public const int Fixed32 = 5;

    private readonly ArrayBufferWriter<byte> buffer = new();

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => buffer.WrittenSpan;

    /// <summary>Writes an <c>int64</c>/<c>int32</c>/enum field.</summary>
    public void WriteInt64(int field, long value)
    {
        WriteKey(field, Varint);
        WriteVarint(unchecked((ulong)value));
    }

    /// <summary>Writes a <c>float</c> field.</summary>
    public void WriteFloat(int field, float value)
    {
        WriteKey(field, Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    /// <summary>Writes a <c>string</c> field as UTF-8.</summary>
    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>Writes a <c>bytes</c> field.</summary>
    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteKey(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        value.CopyTo(buffer.GetSpan(value.Length));
        buffer.Advance(value.Length);
    }

    /// <summary>Writes a nested message whose fields <paramref name="body"/> writes.</summary>
    public void WriteMessage(int field, Action<ProtoWriter> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var child = new ProtoWriter();
        body(child);
        WriteBytes(field, child.WrittenSpan);
    }

    /// <summary>Writes a packed <c>repeated int64</c> field (one length-delimited run of varints).</summary>
    public void WritePackedInt64(int field, ReadOnlySpan<long> values)
    {
        var child = new ProtoWriter();
        foreach (long value in values)
        {
            child.WriteVarint(unchecked((ulong)value));
        }
        WriteBytes(field, child.WrittenSpan);
    }

    /// <summary>Writes a packed <c>repeated float</c> field (one length-delimited run of 4-byte values).</summary>
    public void WritePackedFloats(int field, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        TensorBytes.WriteSingles(values, bytes);
        WriteBytes(field, bytes);
    }

    private void WriteKey(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        Span<byte> span = buffer.GetSpan(10);
        int length = 0;
        while (value >= 0x80)
        {
            span[length++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[length++] = (byte)value;
        buffer.Advance(length);
    }
}
