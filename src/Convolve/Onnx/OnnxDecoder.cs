namespace Convolve.Onnx;

/// <summary>
/// Reads the <see cref="OnnxModelProto"/> out of a <c>.onnx</c> file's bytes with
/// <see cref="ProtoReader"/>: the fields Convolve uses are read and type-checked, every other
/// field is skipped (after its wire format is checked), and each float32 or int64 tensor's data
/// must hold exactly the product of its dimensions. Any breach is an <see cref="OnnxFormatException"/>
/// naming the byte offset.
/// </summary>
internal static class OnnxDecoder
{
    /// <summary>Decodes a whole model file.</summary>
    public static OnnxModelProto Decode(byte[] bytes, string source)
    {
        var reader = new ProtoReader(bytes, source);
        long irVersion = 0;
        var opsets = new List<(string, long)>();
        string producer = "", producerVersion = "";
        OnnxGraph? graph = null;
        var metadata = new List<KeyValuePair<string, string>>();
        while (reader.TryReadKey(out int field, out int wire))
        {
            switch (field)
            {
                case 1: irVersion = reader.ReadInt64(field, wire); break;
                case 2: producer = reader.ReadString(field, wire); break;
                case 3: producerVersion = reader.ReadString(field, wire); break;
                case 7: graph = ReadGraph(reader.ReadMessage(field, wire)); break;
                case 8: opsets.Add(ReadOpset(reader.ReadMessage(field, wire))); break;
                case 14: metadata.Add(ReadEntry(reader.ReadMessage(field, wire))); break;
                default: reader.Skip(field, wire); break;
            }
        }
        if (graph is null)
        {
            throw reader.Error(0, bytes.Length == 0 ? "the file is empty: an ONNX model has at least a graph" : "the model has no graph (ModelProto field 7)");
        }
        return new OnnxModelProto(irVersion, [.. opsets], producer, producerVersion, graph, [.. metadata]);
    }

    private static (string, long) ReadOpset(ProtoReader reader)
    {
        string domain = "";
        long version = 0;
        while (reader.TryReadKey(out int field, out int wire))
        {
            switch (field)
            {
                case 1: domain = reader.ReadString(field, wire); break;
                case 2: version = reader.ReadInt64(field, wire); break;
                default: reader.Skip(field, wire); break;
            }
        }
        return (domain, version);
    }

    private static KeyValuePair<string, string> ReadEntry(ProtoReader reader)
    {
        string key = "", value = "";
        while (reader.TryReadKey(out int field, out int wire))
        {
            switch (field)
            {
                case 1: key = reader.ReadString(field, wire); break;
                case 2: value = reader.ReadString(field, wire); break;
                default: reader.Skip(field, wire); break;
            }
        }
        return new(key, value);
    }

    private static OnnxGraph ReadGraph(ProtoReader reader)
    {
        var nodes = new List<OnnxNode>();
        var initializers = new List<OnnxTensor>();
        var inputs = new List<OnnxValueInfo>();
        var outputs = new List<OnnxValueInfo>();
        string name = "";
        while (reader.TryReadKey(out int field, out int wire))
        {
            switch (field)
            {
                case 1: nodes.Add(ReadNode(reader.ReadMessage(field, wire))); break;
                case 2: name = reader.ReadString(field, wire); break;
                case 5: initializers.Add(OnnxTensorDecoder.Read(reader.ReadMessage(field, wire))); break;
                case 11: inputs.Add(OnnxValueInfoDecoder.Read(reader.ReadMessage(field, wire))); break;
                case 12: outputs.Add(OnnxValueInfoDecoder.Read(reader.ReadMessage(field, wire))); break;
                default: reader.Skip(field, wire); break;
            }
        }
        return new OnnxGraph(name, [.. nodes], [.. initializers], [.. inputs], [.. outputs]);
    }

    private static OnnxNode ReadNode(ProtoReader reader)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new List<OnnxAttribute>();
        string name = "", opType = "", domain = "";
        while (reader.TryReadKey(out int field, out int wire))
        {
            switch (field)
            {
                case 1: inputs.Add(reader.ReadString(field, wire)); break;
                case 2: outputs.Add(reader.ReadString(field, wire)); break;
                case 3: name = reader.ReadString(field, wire); break;
                case 4: opType = reader.ReadString(field, wire); break;
                case 5: attributes.Add(ReadAttribute(reader.ReadMessage(field, wire))); break;
                case 7: domain = reader.ReadString(field, wire); break;
                default: reader.Skip(field, wire); break;
            }
        }
        return new OnnxNode(name, opType, domain, [.. inputs], [.. outputs], [.. attributes]);
    }

    private static OnnxAttribute ReadAttribute(ProtoReader reader)
    {
        var attribute = new OnnxAttribute("", 0);
        var floats = new List<float>();
        var ints = new List<long>();
        while (reader.TryReadKey(out int field, out int wire))
        {
            attribute = field switch
            {
                1 => attribute with { Name = reader.ReadString(field, wire) },
                2 => attribute with { F = reader.ReadFloat(field, wire) },
                3 => attribute with { I = reader.ReadInt64(field, wire) },
                4 => attribute with { S = reader.ReadString(field, wire) },
                5 => attribute with { T = OnnxTensorDecoder.Read(reader.ReadMessage(field, wire)) },
                20 => attribute with { Type = reader.ReadInt32(field, wire) },
                _ => attribute,
            };
            switch (field)
            {
                case 7: reader.ReadFloats(field, wire, floats); break;
                case 8: reader.ReadInt64s(field, wire, ints); break;
                case 1 or 2 or 3 or 4 or 5 or 20: break;
                default: reader.Skip(field, wire); break;
            }
        }
        return attribute with { Floats = [.. floats], Ints = [.. ints] };
    }
}
