namespace Convolve.Onnx;

/// <summary>Reads a <c>ValueInfoProto</c> of a tensor: its name, element type and dimensions (sizes or symbols).</summary>
internal static class OnnxValueInfoDecoder
{
    /// <summary>Decodes one value-info message; a value of another kind than tensor keeps element type 0 and no dimensions.</summary>
    public static OnnxValueInfo Read(ProtoReader reader)
    {
        var info = new OnnxValueInfo("", 0, []);
        while (reader.TryReadKey(out int field, out int wire))
        {
            switch (field)
            {
                case 1: info = info with { Name = reader.ReadString(field, wire) }; break;
                case 2: info = ReadType(reader.ReadMessage(field, wire), info); break;
                default: reader.Skip(field, wire); break;
            }
        }
        return info;
    }

    private static OnnxValueInfo ReadType(ProtoReader reader, OnnxValueInfo info)
    {
        while (reader.TryReadKey(out int field, out int wire))
        {
            if (field == 1)
            {
                info = ReadTensorType(reader.ReadMessage(field, wire), info);
            }
            else
            {
                reader.Skip(field, wire);
            }
        }
        return info;
    }

    private static OnnxValueInfo ReadTensorType(ProtoReader reader, OnnxValueInfo info)
    {
        var dims = new List<(long?, string)>();
        while (reader.TryReadKey(out int field, out int wire))
        {
            switch (field)
            {
                case 1: info = info with { ElementType = reader.ReadInt32(field, wire) }; break;
                case 2: ReadShape(reader.ReadMessage(field, wire), dims); break;
                default: reader.Skip(field, wire); break;
            }
        }
        return info with { Dims = [.. dims] };
    }

    private static void ReadShape(ProtoReader reader, List<(long?, string)> dims)
    {
        while (reader.TryReadKey(out int field, out int wire))
        {
            if (field != 1)
            {
                reader.Skip(field, wire);
                continue;
            }
            ProtoReader dim = reader.ReadMessage(field, wire);
            (long? Size, string Symbol) value = (null, "");
            while (dim.TryReadKey(out int f, out int w))
            {
                switch (f)
                {
                    case 1: value.Size = dim.ReadInt64(f, w); break;
                    case 2: value.Symbol = dim.ReadString(f, w); break;
                    default: dim.Skip(f, w); break;
                }
            }
            dims.Add(value);
        }
    }
}
