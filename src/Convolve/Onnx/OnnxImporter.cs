using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Onnx;

/// <summary>
/// Reads an ONNX model into Convolve layers, for the operator set the exporter writes: Conv,
/// ConvTranspose, MaxPool, AveragePool, LpPool (even p), GlobalAveragePool, Gemm, MatMul (+ Add
/// of a constant bias), BatchNormalization (inference form), Relu, Sigmoid, Tanh, LeakyRelu,
/// Flatten (axis 1), Reshape (a flatten), Add of two computed values (a residual block), Identity,
/// Dropout and Constant, at default operator sets 7 to 18 (older versions' attribute forms
/// included; see <see cref="MinimumOpset"/>). The graph must be a chain of such nodes with residual additions, with
/// one computed input of fixed size (the batch may be symbolic) and one output. A file that breaks
/// the protobuf wire format is an <see cref="OnnxFormatException"/> naming the byte offset; a
/// well-formed model using anything else is an <see cref="OnnxUnsupportedException"/> naming the
/// node and the operator or attribute.
/// </summary>
public static class OnnxImporter
{
    /// <summary>
    /// The oldest default operator set read: from 7 on, Add and Mul broadcast as NumPy does and
    /// BatchNormalization and Dropout have lost is_test. Operators whose inputs were attributes
    /// before 10, 11, 13 or 18 (Slice, Pad, Clip, Split, ReduceMean) are read in either form, and
    /// Softmax before 13 is mapped where its 2-D coercion is one axis (docs/design.md, issue 19).
    /// </summary>
    public const long MinimumOpset = 7;

    /// <summary>
    /// The newest default operator set whose changes to the imported operators were checked (ONNX
    /// 1.13). A newer one is read as before (no upper bound), by the rules of this one.
    /// </summary>
    public const long NewestCheckedOpset = 18;

    /// <summary>Reads the ONNX file at <paramref name="path"/>.</summary>
    /// <exception cref="OnnxFormatException">The file is not well-formed ONNX protobuf.</exception>
    /// <exception cref="OnnxUnsupportedException">It uses an operator, attribute or graph shape Convolve does not import.</exception>
    public static OnnxImport Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Read(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads an ONNX model from <paramref name="bytes"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="OnnxFormatException">The bytes are not well-formed ONNX protobuf.</exception>
    /// <exception cref="OnnxUnsupportedException">The model uses an operator, attribute or graph shape Convolve does not import.</exception>
    public static OnnxImport Read(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(source);
        OnnxModelProto proto = OnnxDecoder.Decode(bytes, source);
        long opset = Opset(proto, source);
        OnnxGraph graph = proto.Graph;
        var initializerNames = graph.Initializers.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        OnnxValueInfo[] inputs = graph.Inputs.Where(i => !initializerNames.Contains(i.Name)).ToArray();
        if (inputs.Length != 1 || graph.Outputs.Length != 1)
        {
            throw new OnnxUnsupportedException(source, $"the graph has {inputs.Length} computed inputs and {graph.Outputs.Length} outputs; Convolve imports a model with one of each");
        }
        Shape item = ItemShape(inputs[0], source);
        var model = Build(graph, inputs[0], item, source, opset);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in proto.Metadata)
        {
            metadata[key] = value;
        }
        return new OnnxImport(model, item, metadata, opset, $"{proto.ProducerName} {proto.ProducerVersion}".Trim());
    }

    /// <summary>
    /// The layer tree of a chain with residual additions, as before; any other graph (branches
    /// joined by Concat or Mul, values read by several branches) as a <see cref="Graph"/> inside a
    /// one-layer Sequential, whose errors are the ones reported.
    /// </summary>
    private static Sequential Build(OnnxGraph graph, OnnxValueInfo input, Shape item, string source, long opset)
    {
        var shape = new Shape([2, .. item.Dimensions]);
        try
        {
            return new OnnxGraphTree(graph, input.Name, source, opset).Build(input.Name, shape, graph.Outputs[0].Name);
        }
        catch (OnnxUnsupportedException)
        {
            var import = new OnnxGraphImport(graph, input.Name, shape, input.Dims[0].Size, source, opset);
            return new Sequential(import.Build(graph.Outputs[0].Name));
        }
    }

    private static long Opset(OnnxModelProto proto, string source)
    {
        long opset = proto.Opsets.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
        return opset >= MinimumOpset
            ? opset
            : throw new OnnxUnsupportedException(source, opset == 0
                ? "the model imports no version of the default operator set (ai.onnx)"
                : $"the model uses operator set {opset}; Convolve reads {MinimumOpset} and later");
    }

    /// <summary>The graph input's dimensions after the batch: each must be a fixed positive size.</summary>
    private static Shape ItemShape(OnnxValueInfo input, string source)
    {
        if (input.ElementType != OnnxFields.Float || input.Dims.Length < 2)
        {
            throw new OnnxUnsupportedException(source, $"the graph input '{input.Name}' must be a float32 tensor [N, C, ...] but has element type {input.ElementType} and {input.Dims.Length} dimensions");
        }
        var sizes = new int[input.Dims.Length - 1];
        for (int i = 1; i < input.Dims.Length; i++)
        {
            long? size = input.Dims[i].Size;
            sizes[i - 1] = size is > 0 and <= 1 << 24
                ? (int)size.Value
                : throw new OnnxUnsupportedException(source, $"the graph input '{input.Name}' has dimension {i} {(size is null ? $"'{input.Dims[i].Symbol}' (symbolic)" : size.ToString())}; Convolve needs a fixed positive size for every dimension but the batch");
        }
        try
        {
            return new Shape([2, .. sizes]).Size > 0 ? new Shape(sizes) : throw new ArgumentException("no elements");
        }
        catch (ArgumentException ex)
        {
            throw new OnnxUnsupportedException(source, $"the graph input '{input.Name}' of shape [N, {string.Join(", ", sizes)}] is too large: {ex.Message}");
        }
    }
}
