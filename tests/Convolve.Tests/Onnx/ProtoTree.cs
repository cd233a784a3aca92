using System.Buffers.Binary;

namespace Convolve.Tests.Onnx;

/// <summary>
/// A protobuf message as a tree of fields, for structure-aware fuzzing: a length-delimited value
/// that itself parses as a message (and is not a packed run of bytes that merely could) becomes a
/// nested tree; <see cref="Encode"/> writes it back with every length recomputed, so a field can
/// be changed, dropped or repeated without breaking the wire format around it.
/// </summary>
internal sealed class ProtoTree
{
    public List<ProtoField> Fields { get; } = [];

    /// <summary>Parses <paramref name="bytes"/>; null when they are not a message.</summary>
    public static ProtoTree? TryParse(ReadOnlySpan<byte> bytes, int depth = 0)
    {
        var tree = new ProtoTree();
        int at = 0;
        while (at < bytes.Length)
        {
            if (!TryVarint(bytes, ref at, out ulong key) || key >> 3 == 0 || key >> 3 > 100_000)
            {
                return null;
            }
            var field = new ProtoField((int)(key >> 3), (int)(key & 7));
            switch (field.WireType)
            {
                case 0 when TryVarint(bytes, ref at, out ulong value):
                    field.Value = value;
                    break;
                case 5 when at + 4 <= bytes.Length:
                    field.Bytes = bytes.Slice(at, 4).ToArray();
                    at += 4;
                    break;
                case 2 when TryVarint(bytes, ref at, out ulong length) && length <= (ulong)(bytes.Length - at):
                    field.Bytes = bytes.Slice(at, (int)length).ToArray();
                    field.Children = depth < 12 && length > 1 ? TryParse(field.Bytes, depth + 1) : null;
                    at += (int)length;
                    break;
                default:
                    return null;
            }
            tree.Fields.Add(field);
        }
        return tree;
    }

    /// <summary>Every field of the tree, nested ones included, with the list that holds it.</summary>
    public IEnumerable<(List<ProtoField> Owner, ProtoField Field)> All()
    {
        foreach (ProtoField field in Fields)
        {
            yield return (Fields, field);
            foreach (var nested in field.Children?.All() ?? [])
            {
                yield return nested;
            }
        }
    }

    public byte[] Encode()
    {
        using var stream = new MemoryStream();
        foreach (ProtoField field in Fields)
        {
            WriteVarint(stream, (ulong)((field.Number << 3) | field.WireType));
            switch (field.WireType)
            {
                case 0:
                    WriteVarint(stream, field.Value);
                    break;
                case 5:
                    stream.Write(field.Bytes);
                    break;
                default:
                    byte[] content = field.Children?.Encode() ?? field.Bytes;
                    WriteVarint(stream, (ulong)content.Length);
                    stream.Write(content);
                    break;
            }
        }
        return stream.ToArray();
    }

    private static bool TryVarint(ReadOnlySpan<byte> bytes, ref int at, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64 && at < bytes.Length; shift += 7)
        {
            byte b = bytes[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }
        return false;
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        stream.WriteByte((byte)value);
    }
}

/// <summary>One field of a <see cref="ProtoTree"/>.</summary>
internal sealed class ProtoField(int number, int wireType)
{
    public int Number { get; set; } = number;

    public int WireType { get; set; } = wireType;

    public ulong Value { get; set; }

    public byte[] Bytes { get; set; } = [];

    public ProtoTree? Children { get; set; }

    public float Float
    {
        get => BinaryPrimitives.ReadSingleLittleEndian(Bytes);
        set => BinaryPrimitives.WriteSingleLittleEndian(Bytes = new byte[4], value);
    }
}
