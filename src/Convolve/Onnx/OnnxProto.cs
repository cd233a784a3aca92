namespace Convolve.Onnx;

/// <summary>The parts of onnx.proto's messages Convolve reads and writes, with their field numbers (onnx.proto, IR version 8).</summary>
internal static class OnnxFields
{
    /// <summary><c>TensorProto.DataType.FLOAT</c>.</summary>
    public const int Float = 1;

    /// <summary><c>TensorProto.DataType.INT64</c>.</summary>
    public const int Int64 = 7;

    /// <summary><c>TensorProto.DataType.BOOL</c> (decoded into <c>Int64s</c> as 0 and 1: Dropout's training_mode).</summary>
    public const int Bool = 9;

    /// <summary><c>AttributeProto.AttributeType</c> values.</summary>
    public const int AttributeFloat = 1, AttributeInt = 2, AttributeString = 3, AttributeTensor = 4, AttributeFloats = 6, AttributeInts = 7;

    /// <summary>The IR version of opset 17 (ONNX 1.12).</summary>
    public const long IrVersion = 8;
}

/// <summary>A <c>TensorProto</c>: float32 values in <see cref="Floats"/>, int64 values in <see cref="Int64s"/>; other types keep only their type and dimensions.</summary>
internal sealed record OnnxTensor(string Name, long[] Dims, int DataType, float[] Floats, long[] Int64s, bool External = false)
{
    /// <summary>A float32 tensor.</summary>
    public static OnnxTensor FromFloats(string name, long[] dims, float[] values) => new(name, dims, OnnxFields.Float, values, []);

    /// <summary>An int64 tensor.</summary>
    public static OnnxTensor FromInt64s(string name, long[] dims, long[] values) => new(name, dims, OnnxFields.Int64, [], values);
}

/// <summary>An <c>AttributeProto</c> of one of the kinds Convolve uses (float, int, string, tensor, floats, ints); <see cref="Type"/> says which.</summary>
internal sealed record OnnxAttribute(string Name, int Type, float F = 0, long I = 0, string S = "", float[]? Floats = null, long[]? Ints = null, OnnxTensor? T = null)
{
    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, OnnxFields.AttributeInt, I: value);

    /// <summary>A FLOAT attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, OnnxFields.AttributeFloat, F: value);

    /// <summary>An INTS attribute.</summary>
    public static OnnxAttribute IntList(string name, IEnumerable<int> values) => new(name, OnnxFields.AttributeInts, Ints: values.Select(v => (long)v).ToArray());
}

/// <summary>A <c>NodeProto</c>: one operator call.</summary>
internal sealed record OnnxNode(string Name, string OpType, string Domain, string[] Inputs, string[] Outputs, OnnxAttribute[] Attributes);

/// <summary>A <c>ValueInfoProto</c> of a tensor: element type and dimensions, each a size or (null size) a named symbol.</summary>
internal sealed record OnnxValueInfo(string Name, int ElementType, (long? Size, string Symbol)[] Dims);

/// <summary>A <c>GraphProto</c>.</summary>
internal sealed record OnnxGraph(string Name, OnnxNode[] Nodes, OnnxTensor[] Initializers, OnnxValueInfo[] Inputs, OnnxValueInfo[] Outputs);

/// <summary>A <c>ModelProto</c>: the graph, the operator sets it imports, the producer and the metadata entries.</summary>
internal sealed record OnnxModelProto(
    long IrVersion, (string Domain, long Version)[] Opsets, string ProducerName, string ProducerVersion, OnnxGraph Graph, KeyValuePair<string, string>[] Metadata);
