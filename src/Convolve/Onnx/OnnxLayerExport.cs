using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Onnx;

/// <summary>
/// Turns each layer into ONNX nodes, in the order of the forward pass: containers walk their
/// children (a residual block becomes its two branches and an <c>Add</c>), convolutions and
/// pooling go to <see cref="OnnxWindowExport"/>, the rest is mapped here. Node and initializer
/// names are the layers' paths and state-dict names (<c>5.body.0</c>, <c>5.body.0.weight</c>).
/// </summary>
internal static class OnnxLayerExport
{
    /// <summary>Appends the nodes of <paramref name="layer"/>, found at <paramref name="path"/>, to the graph.</summary>
    public static void Export(OnnxGraphBuilder graph, Layer layer, string path)
    {
        switch (layer)
        {
            case Sequential sequential:
                for (int i = 0; i < sequential.Count; i++)
                {
                    Export(graph, sequential[i], Child(path, i.ToString()));
                }
                break;
            case Residual residual:
                ExportResidual(graph, residual, path);
                break;
            case Graph dag:
                OnnxGraphLayerExport.ExportGraph(graph, dag, path);
                break;
            case ConvolutionBase or PoolingLayer or AdaptiveAvgPool2d:
                OnnxWindowExport.Export(graph, layer, path);
                break;
            default:
                ExportPointwise(graph, layer, path);
                break;
        }
    }

    /// <summary>The path of a child, as state-dict prefixes are built.</summary>
    public static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static void ExportResidual(OnnxGraphBuilder graph, Residual residual, string path)
    {
        var (input, shape) = (graph.Current, graph.CurrentShape);
        Export(graph, residual.Body, Child(path, "body"));
        string body = graph.Current;
        Shape output = graph.CurrentShape;
        (graph.Current, graph.CurrentShape) = (input, shape);
        if (residual.Shortcut is not null)
        {
            Export(graph, residual.Shortcut, Child(path, "shortcut"));
        }
        graph.AddWithInputs(Child(path, "add"), "Add", [body, graph.Current], output);
    }

    private static void ExportPointwise(OnnxGraphBuilder graph, Layer layer, string path)
    {
        Shape shape = graph.CurrentShape;
        switch (layer)
        {
            case ReLU:
                graph.Add(path, "Relu", [], shape);
                break;
            case Sigmoid:
                graph.Add(path, "Sigmoid", [], shape);
                break;
            case Tanh:
                graph.Add(path, "Tanh", [], shape);
                break;
            case LeakyReLU leaky:
                graph.Add(path, "LeakyRelu", [], shape, OnnxAttribute.Float("alpha", leaky.NegativeSlope));
                break;
            case Dropout:
                break; // the identity at inference, which is all ONNX models describe
            case Flatten flatten:
                ExportFlatten(graph, flatten, path);
                break;
            case Linear linear:
                ExportLinear(graph, linear, path);
                break;
            case BatchNorm norm:
                ExportBatchNorm(graph, norm, path);
                break;
            case ConstantPad pad:
                ExportPad(graph, pad, path);
                break;
            default:
                OnnxGraphLayerExport.ExportPointwise(graph, layer, path);
                break;
        }
    }

    /// <summary>
    /// <c>Flatten</c> when dimensions 1.. merge (ONNX's Flatten always yields two dimensions);
    /// otherwise <c>Reshape</c> to the known sizes, 0 (copy) for the batch and −1 where it merges.
    /// </summary>
    private static void ExportFlatten(OnnxGraphBuilder graph, Flatten flatten, string path)
    {
        Shape input = graph.CurrentShape, output = flatten.OutputShape(input);
        if (input.Rank >= 2 && output.Rank == 2 && output[0] == input[0])
        {
            graph.Add(path, "Flatten", [], output, OnnxAttribute.Int("axis", 1));
            return;
        }
        bool batchMerged = output[0] != input[0] || input.Rank == 0;
        long[] target = output.ToArray().Select((size, i) => i == 0 ? (batchMerged ? -1L : 0L) : size).ToArray();
        string shape = graph.AddInt64Initializer(Child(path, "shape"), target);
        graph.Add(path, "Reshape", [shape], output);
    }

    /// <summary><c>Gemm</c> (transB = 1, PyTorch's layout) for [N, in]; <c>MatMul</c> with the transposed weight and <c>Add</c> for more dimensions.</summary>
    private static void ExportLinear(OnnxGraphBuilder graph, Linear linear, string path)
    {
        Shape output = linear.OutputShape(graph.CurrentShape);
        string? bias = linear.Bias is null ? null : graph.AddInitializer(Child(path, "bias"), [linear.OutFeatures], linear.Bias.Value.Span.ToArray());
        if (graph.CurrentShape.Rank == 2)
        {
            string weight = graph.AddInitializer(Child(path, "weight"), linear.Weight.Shape.Dimensions, linear.Weight.Value.Span.ToArray());
            graph.Add(path, "Gemm", bias is null ? [weight] : [weight, bias], output, OnnxAttribute.Int("transB", 1));
            return;
        }
        float[] transposed = TensorBytes.Transpose(linear.Weight.Value.Span.ToArray(), linear.OutFeatures, linear.InFeatures);
        string weightT = graph.AddInitializer(Child(path, "weight_t"), [linear.InFeatures, linear.OutFeatures], transposed);
        graph.Add(bias is null ? path : Child(path, "matmul"), "MatMul", [weightT], output);
        if (bias is not null)
        {
            graph.Add(path, "Add", [bias], output);
        }
    }

    /// <summary><c>Pad</c> in constant mode: pads (int64, all dimensions' starts then all ends, none on N and C) and the value as inputs.</summary>
    private static void ExportPad(OnnxGraphBuilder graph, ConstantPad pad, string path)
    {
        Shape output = pad.OutputShape(graph.CurrentShape);
        long[] pads = [0, 0, .. pad.PadBefore.Select(p => (long)p), 0, 0, .. pad.PadAfter.Select(p => (long)p)];
        string padsName = graph.AddInt64Initializer(Child(path, "pads"), pads);
        string value = graph.AddInitializer(Child(path, "value"), [], [pad.Value]);
        graph.Add(path, "Pad", [padsName, value], output, new OnnxAttribute("mode", OnnxFields.AttributeString, S: "constant"));
    }

    /// <summary><c>BatchNormalization</c> in inference form, with the running statistics; γ = 1 and β = 0 without affine parameters.</summary>
    private static void ExportBatchNorm(OnnxGraphBuilder graph, BatchNorm norm, string path)
    {
        if (norm.RunningMean is null || norm.RunningVar is null)
        {
            throw new OnnxExportException(path, norm.Name,
                "it keeps no running statistics (track_running_stats false), so it normalises with each batch's own statistics at inference, which ONNX's BatchNormalization cannot do");
        }
        int c = norm.NumFeatures;
        string scale = graph.AddInitializer(Child(path, "weight"), [c], norm.Weight?.Value.Span.ToArray() ?? Enumerable.Repeat(1f, c).ToArray());
        string bias = graph.AddInitializer(Child(path, "bias"), [c], norm.Bias?.Value.Span.ToArray() ?? new float[c]);
        string mean = graph.AddInitializer(Child(path, "running_mean"), [c], norm.RunningMean.Span.ToArray());
        string variance = graph.AddInitializer(Child(path, "running_var"), [c], norm.RunningVar.Span.ToArray());
        graph.Add(path, "BatchNormalization", [scale, bias, mean, variance], graph.CurrentShape,
            OnnxAttribute.Float("epsilon", (float)norm.Eps), OnnxAttribute.Float("momentum", (float)(1 - norm.Momentum)));
    }
}
