namespace Convolve.Onnx;

/// <summary>
/// Writes an <see cref="OnnxModelProto"/> in the protobuf wire format with onnx.proto's field
/// numbers. Tensors go out as <c>raw_data</c> (little-endian bytes, as ONNX Runtime and PyTorch
/// write them); dimensions as packed int64.
/// </summary>
internal static class OnnxEncoder
{
    /// <summary>The bytes of a <c>.onnx</c> file holding <paramref name="model"/>.</summary>
    public static byte[] Encode(OnnxModelProto model)
    {
        var writer = new ProtoWriter();
        writer.WriteInt64(1, model.IrVersion);
        writer.WriteString(2, model.ProducerName);
        writer.WriteString(3, model.ProducerVersion);
        writer.WriteMessage(7, graph => WriteGraph(graph, model.Graph));
        foreach (var (domain, version) in model.Opsets)
        {
            writer.WriteMessage(8, opset =>
            {
                opset.WriteString(1, domain);
                opset.WriteInt64(2, version);
            });
        }
        foreach (var (key, value) in model.Metadata)
        {
            writer.WriteMessage(14, entry =>
            {
                entry.WriteString(1, key);
                entry.WriteString(2, value);
            });
        }
        return writer.WrittenSpan.ToArray();
    }

    private static void WriteGraph(ProtoWriter writer, OnnxGraph graph)
    {
        foreach (OnnxNode node in graph.Nodes)
        {
            writer.WriteMessage(1, w => WriteNode(w, node));
        }
        writer.WriteString(2, graph.Name);
        foreach (OnnxTensor tensor in graph.Initializers)
        {
            writer.WriteMessage(5, w => WriteTensor(w, tensor));
        }
        foreach (OnnxValueInfo input in graph.Inputs)
        {
            writer.WriteMessage(11, w => WriteValueInfo(w, input));
        }
        foreach (OnnxValueInfo output in graph.Outputs)
        {
            writer.WriteMessage(12, w => WriteValueInfo(w, output));
        }
    }

    private static void WriteNode(ProtoWriter writer, OnnxNode node)
    {
        foreach (string input in node.Inputs)
        {
            writer.WriteString(1, input);
        }
        foreach (string output in node.Outputs)
        {
            writer.WriteString(2, output);
        }
        writer.WriteString(3, node.Name);
        writer.WriteString(4, node.OpType);
        foreach (OnnxAttribute attribute in node.Attributes)
        {
            writer.WriteMessage(5, w => WriteAttribute(w, attribute));
        }
        if (node.Domain.Length > 0)
        {
            writer.WriteString(7, node.Domain);
        }
    }

    private static void WriteAttribute(ProtoWriter writer, OnnxAttribute attribute)
    {
        writer.WriteString(1, attribute.Name);
        switch (attribute.Type)
        {
            case OnnxFields.AttributeFloat:
                writer.WriteFloat(2, attribute.F);
                break;
            case OnnxFields.AttributeInt:
                writer.WriteInt64(3, attribute.I);
                break;
            case OnnxFields.AttributeString:
                writer.WriteString(4, attribute.S);
                break;
            case OnnxFields.AttributeTensor:
                writer.WriteMessage(5, w => WriteTensor(w, attribute.T!));
                break;
            case OnnxFields.AttributeFloats:
                writer.WritePackedFloats(7, attribute.Floats ?? []);
                break;
            default:
                writer.WritePackedInt64(8, attribute.Ints ?? []);
                break;
        }
        writer.WriteInt64(20, attribute.Type);
    }

    private static void WriteTensor(ProtoWriter writer, OnnxTensor tensor)
    {
        writer.WritePackedInt64(1, tensor.Dims);
        writer.WriteInt64(2, tensor.DataType);
        writer.WriteString(8, tensor.Name);
        byte[] raw = tensor.DataType == OnnxFields.Float ? new byte[tensor.Floats.Length * sizeof(float)]
            : tensor.DataType == OnnxFields.Bool ? [.. tensor.Int64s.Select(v => (byte)(v != 0 ? 1 : 0))]
            : new byte[tensor.Int64s.Length * sizeof(long)];
        if (tensor.DataType == OnnxFields.Float)
        {
            TensorBytes.WriteSingles(tensor.Floats, raw);
        }
        else if (tensor.DataType != OnnxFields.Bool)
        {
            TensorBytes.WriteInt64s(tensor.Int64s, raw);
        }
        writer.WriteBytes(9, raw);
    }

    private static void WriteValueInfo(ProtoWriter writer, OnnxValueInfo value)
    {
        writer.WriteString(1, value.Name);
        writer.WriteMessage(2, type => type.WriteMessage(1, tensorType =>
        {
            tensorType.WriteInt64(1, value.ElementType);
            tensorType.WriteMessage(2, shape =>
            {
                foreach (var (size, symbol) in value.Dims)
                {
                    shape.WriteMessage(1, dim =>
                    {
                        if (size is long known)
                        {
                            dim.WriteInt64(1, known);
                        }
                        else
                        {
                            dim.WriteString(2, symbol);
                        }
                    });
                }
            });
        }));
    }
}
