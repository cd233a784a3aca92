using System.Reflection;
using Convolve.Layers;
using Convolve.Serialization;
using Convolve.Tensors;

namespace Convolve.Onnx;

/// <summary>
/// Writes a Convolve model as an ONNX model (opset <see cref="Opset"/>, IR version 8) that ONNX
/// Runtime, PyTorch's and other ONNX tools load: one graph input <c>input</c> of Shape
/// [N, C, spatial...] with a symbolic batch <c>N</c>, one output <c>output</c>, the weights as
/// float32 initializers under their state-dict names, and the given metadata entries (the CLI
/// records the input normalisation and class names there). The protobuf is written by a small
/// encoder of its own (<see cref="ProtoWriter"/>), so the library takes no dependency.
/// Supported layers and their operators: Conv1d/2d/3d → Conv, ConvTranspose1d/2d/3d →
/// ConvTranspose, MaxPool → MaxPool, AvgPool → AveragePool, LPPool with an even integer p → LpPool,
/// AdaptiveAvgPool2d → GlobalAveragePool (1×1) or AveragePool (bins of one size), BatchNorm1d/2d
/// with running statistics → BatchNormalization, Linear → Gemm (MatMul + Add beyond two
/// dimensions), ReLU/Sigmoid/Tanh/LeakyReLU → Relu/Sigmoid/Tanh/LeakyRelu, Flatten → Flatten or
/// Reshape, Residual → its branches and Add, Dropout → nothing (the identity at inference).
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX operator set version the files declare.</summary>
    public const int Opset = 17;

    /// <summary>The graph input's name.</summary>
    public const string InputName = "input";

    /// <summary>The graph output's name.</summary>
    public const string OutputName = "output";

    /// <summary>The bytes of the ONNX file of <paramref name="model"/> for inputs of one item of Shape <paramref name="itemShape"/>.</summary>
    /// <param name="model">The model; its weights and running statistics are written as they are.</param>
    /// <param name="itemShape">One input without the batch dimension, e.g. [1, 28, 28].</param>
    /// <param name="metadata">Entries for the model's <c>metadata_props</c>; may be null.</param>
    /// <exception cref="OnnxExportException">A layer has no ONNX form; the message names its path and type.</exception>
    /// <exception cref="ArgumentException">The model does not accept inputs of <paramref name="itemShape"/>.</exception>
    public static byte[] Export(Layer model, Shape itemShape, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(itemShape);
        // A batch of two: batch normalisation in training mode refuses one value per channel.
        var input = new Shape([2, .. itemShape.Dimensions]);
        model.OutputShape(input);
        var graph = new OnnxGraphBuilder(InputName, input);
        OnnxLayerExport.Export(graph, model, "");
        graph.NameOutput(OutputName);
        var proto = new OnnxModelProto(
            OnnxFields.IrVersion, [("", Opset)], "Convolve", ProducerVersion,
            new OnnxGraph("convolve", [.. graph.Nodes], [.. graph.Initializers], [Describe(InputName, input)], [Describe(OutputName, graph.CurrentShape)]),
            (metadata ?? new Dictionary<string, string>()).OrderBy(e => e.Key, StringComparer.Ordinal).ToArray());
        return OnnxEncoder.Encode(proto);
    }

    /// <summary>Writes the ONNX file of <paramref name="model"/> to <paramref name="path"/> atomically: the model is converted completely before the disk is touched.</summary>
    /// <exception cref="OnnxExportException">A layer has no ONNX form; nothing is written.</exception>
    public static void Save(string path, Layer model, Shape itemShape, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, Export(model, itemShape, metadata), createFolder: false);
    }

    private static string ProducerVersion =>
        typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";

    private static OnnxValueInfo Describe(string name, Shape shape) =>
        new(name, OnnxFields.Float, shape.ToArray().Select((size, i) => i == 0 ? ((long?)null, "N") : (size, "")).ToArray());
}
