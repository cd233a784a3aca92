using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Onnx;

/// <summary>
/// The operator table of the import: each supported operator with the attributes it knows, and
/// the layer it becomes. Identity and Dropout (the identity at inference) become no layer.
/// Anything else is refused by name.
/// </summary>
internal static class OnnxNodeImport
{
    private static readonly Dictionary<string, string[]> Known = new(StringComparer.Ordinal)
    {
        ["Conv"] = ["kernel_shape", "strides", "pads", "dilations", "group", "auto_pad"],
        ["ConvTranspose"] = ["kernel_shape", "strides", "pads", "dilations", "group", "auto_pad", "output_padding", "output_shape"],
        ["MaxPool"] = ["kernel_shape", "strides", "pads", "dilations", "ceil_mode", "auto_pad", "storage_order"],
        ["AveragePool"] = ["kernel_shape", "strides", "pads", "dilations", "ceil_mode", "auto_pad", "count_include_pad"],
        ["LpPool"] = ["kernel_shape", "strides", "pads", "dilations", "ceil_mode", "auto_pad", "p"],
        ["GlobalAveragePool"] = [],
        ["Gemm"] = ["alpha", "beta", "transA", "transB"],
        ["MatMul"] = [],
        ["BatchNormalization"] = ["epsilon", "momentum", "training_mode", "spatial"],
        ["Relu"] = [],
        ["Sigmoid"] = [],
        ["Tanh"] = [],
        ["LeakyRelu"] = ["alpha"],
        ["Flatten"] = ["axis"],
        ["Reshape"] = ["allowzero"],
        ["Pad"] = ["mode", "pads", "value"],
        ["Dropout"] = ["seed", "ratio"],
        ["Identity"] = [],
        ["Clip"] = ["min", "max"],
        ["HardSwish"] = [],
        ["HardSigmoid"] = ["alpha", "beta"],
        ["Softmax"] = ["axis"],
        ["GlobalMaxPool"] = [],
        ["ReduceMean"] = ["axes", "keepdims", "noop_with_empty_axes"],
        ["Slice"] = ["starts", "ends", "axes"],
    };

    /// <summary>Every operator the import knows (Add joins residual branches or adds a MatMul's bias).</summary>
    public static IReadOnlyCollection<string> Operators { get; } = [.. Known.Keys, "Add", "Mul", "Concat", "Split", "Transpose", "Constant"];

    /// <summary>The reader of <paramref name="node"/>'s attributes; refuses an unknown operator or attribute.</summary>
    public static OnnxNodeReader Reader(OnnxNode node, IReadOnlyDictionary<string, OnnxTensor> initializers, string source, long opset)
    {
        if (node.Domain is not ("" or "ai.onnx"))
        {
            throw new OnnxUnsupportedException(source, OnnxNodeReader.DisplayName(node), node.OpType, $"operators of domain '{node.Domain}' are not supported");
        }
        return Known.TryGetValue(node.OpType, out string[]? attributes)
            ? new OnnxNodeReader(node, initializers, source, opset, attributes)
            : throw new OnnxUnsupportedException(source, OnnxNodeReader.DisplayName(node), node.OpType,
                $"operator {node.OpType} is not supported; supported: {string.Join(", ", Operators.Order(StringComparer.Ordinal))}");
    }

    /// <summary>The layer of a single-input node on an input of <paramref name="input"/>, or null for an identity (Identity, Dropout, a Pad by zero).</summary>
    public static Layer? Convert(OnnxNode node, OnnxNodeReader reader, Shape input, IReadOnlyDictionary<string, OnnxTensor> initializers) => node.OpType switch
    {
        "Conv" => OnnxWindowImport.Convolution(reader, input, transposed: false),
        "ConvTranspose" => OnnxWindowImport.Convolution(reader, input, transposed: true),
        "MaxPool" or "AveragePool" or "LpPool" => OnnxWindowImport.Pooling(reader, input, node.OpType),
        "GlobalAveragePool" => OnnxWindowImport.GlobalAverage(reader, input),
        "Gemm" => OnnxDenseImport.Gemm(reader, input),
        "MatMul" => OnnxDenseImport.MatMul(reader, input, null, null),
        "BatchNormalization" => OnnxDenseImport.BatchNormalization(reader, input),
        "Relu" => new ReLU(),
        "Sigmoid" => new Sigmoid(),
        "Tanh" => new Tanh(),
        "LeakyRelu" => new LeakyReLU(reader.Float("alpha", 0.01f)),
        "Flatten" => OnnxDenseImport.Flatten(reader, input),
        "Reshape" => OnnxDenseImport.Reshape(reader, input, initializers),
        "Pad" => OnnxDenseImport.Pad(reader, input, initializers),
        "Clip" => OnnxActivationImport.Clip(reader),
        "HardSwish" => new Hardswish(),
        "HardSigmoid" => OnnxActivationImport.HardSigmoid(reader),
        "Softmax" => OnnxActivationImport.Softmax(reader, input),
        "GlobalMaxPool" => new GlobalMaxPool(),
        "ReduceMean" => OnnxActivationImport.ReduceMean(reader, input),
        "Slice" => OnnxActivationImport.Slice(reader, input),
        "Dropout" => Dropout(reader, initializers),
        _ => null,
    };

    /// <summary>
    /// Dropout is the identity at inference, so no layer; from operator set 12 a training_mode input
    /// may ask for the training form (random dropping), which is refused unless it is a constant false.
    /// </summary>
    public static Layer? Dropout(OnnxNodeReader node, IReadOnlyDictionary<string, OnnxTensor> initializers)
    {
        string mode = node.Inputs.Count > 2 ? node.Inputs[2] : "";
        if (mode.Length > 0 && !(initializers.TryGetValue(mode, out OnnxTensor? flag) && flag.DataType == OnnxFields.Bool && flag.Int64s is [0]))
        {
            string what = flag is { DataType: OnnxFields.Bool, Int64s: [1] } ? "the constant true" : flag is null ? "computed in the graph" : $"a constant of ONNX data type {flag.DataType} [{string.Join(", ", flag.Dims)}]";
            throw node.Error($"its training_mode input '{mode}' is {what}; only the inference form (training_mode absent or a constant false: the identity) is imported");
        }
        return null;
    }
}
