using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Onnx;

/// <summary>
/// Convolutions and pooling as ONNX nodes: <c>Conv</c>, <c>ConvTranspose</c>, <c>MaxPool</c>,
/// <c>AveragePool</c>, <c>LpPool</c>, <c>GlobalAveragePool</c>. Every window attribute is written
/// out (kernel_shape, strides, pads as all begins then all ends, dilations); ceil mode is written
/// only where it changes the output size for the exported input size.
/// </summary>
internal static class OnnxWindowExport
{
    /// <summary>Appends the node of a convolution or pooling layer.</summary>
    public static void Export(OnnxGraphBuilder graph, Layer layer, string path)
    {
        Shape output = layer.OutputShape(graph.CurrentShape);
        switch (layer)
        {
            case ConvNd conv:
                graph.Add(path, "Conv", Parameters(graph, conv, path), output, [.. Window(conv.Geometry), OnnxAttribute.Int("group", conv.Groups)]);
                break;
            case ConvTransposeNd transposed:
                ExportTransposed(graph, transposed, path, output);
                break;
            case MaxPoolNd max:
                graph.Add(path, "MaxPool", [], output, [.. Window(max.Geometry), CeilMode(graph, max)]);
                break;
            case AvgPoolNd average:
                graph.Add(path, "AveragePool", [], output,
                    [.. Window(average.Geometry, dilations: false), CeilMode(graph, average), OnnxAttribute.Int("count_include_pad", average.CountIncludePad ? 1 : 0)]);
                break;
            case LPPoolNd lp:
                ExportLpPool(graph, lp, path, output);
                break;
            default:
                ExportAdaptive(graph, (AdaptiveAvgPool2d)layer, path, output);
                break;
        }
    }

    /// <summary>
    /// ConvTranspose. Output padding only uncrops the far end of the full transposed convolution;
    /// where it is not below the stride (PyTorch allows it below the dilation instead, ONNX
    /// Runtime does not) it is taken off the end padding, which gives the same numbers. What the
    /// end padding cannot absorb lies past the full result, where the output is the bias alone:
    /// those positions are added by Pad (zeros) before the bias is added.
    /// </summary>
    private static void ExportTransposed(OnnxGraphBuilder graph, ConvTransposeNd transposed, string path, Shape output)
    {
        ConvGeometry g = transposed.Geometry;
        int dims = g.SpatialDims;
        int[] padAfter = (int[])g.PadAfter.Clone(), outputPadding = (int[])g.OutputPadding.Clone(), extra = new int[dims];
        for (int i = 0; i < dims; i++)
        {
            if (outputPadding[i] >= g.Stride[i])
            {
                int absorbed = Math.Min(padAfter[i], outputPadding[i]);
                (padAfter[i], extra[i], outputPadding[i]) = (padAfter[i] - absorbed, outputPadding[i] - absorbed, 0);
            }
        }
        string[] parameters = Parameters(graph, transposed, path);
        bool padded = extra.Any(e => e > 0);
        int[] convolved = [.. output.Dimensions[..2], .. output.Dimensions[2..].ToArray().Select((size, i) => size - extra[i])];
        graph.Add(padded ? OnnxLayerExport.Child(path, "convtranspose") : path, "ConvTranspose", padded ? parameters[..1] : parameters, new Shape(convolved),
            OnnxAttribute.IntList("kernel_shape", g.Kernel), OnnxAttribute.IntList("strides", g.Stride), OnnxAttribute.IntList("pads", [.. g.PadBefore, .. padAfter]),
            OnnxAttribute.IntList("dilations", g.Dilation), OnnxAttribute.Int("group", transposed.Groups), OnnxAttribute.IntList("output_padding", outputPadding));
        if (padded)
        {
            long[] pads = [0, 0, .. new long[dims], 0, 0, .. extra.Select(e => (long)e)];
            string amounts = graph.AddInt64Initializer(OnnxLayerExport.Child(path, "pads"), pads);
            graph.Add(parameters.Length == 1 ? path : OnnxLayerExport.Child(path, "pad"), "Pad", [amounts], output);
            if (parameters.Length == 2)
            {
                string bias = graph.AddInitializer(OnnxLayerExport.Child(path, "bias_column"), [transposed.OutChannels, .. Enumerable.Repeat(1, dims)], transposed.Bias!.Value.Span.ToArray());
                graph.Add(path, "Add", [bias], output);
            }
        }
    }

    private static string[] Parameters(OnnxGraphBuilder graph, ConvolutionBase conv, string path)
    {
        string weight = graph.AddInitializer(OnnxLayerExport.Child(path, "weight"), conv.Weight.Shape.Dimensions, conv.Weight.Value.Span.ToArray());
        return conv.Bias is null
            ? [weight]
            : [weight, graph.AddInitializer(OnnxLayerExport.Child(path, "bias"), [conv.OutChannels], conv.Bias.Value.Span.ToArray())];
    }

    private static OnnxAttribute[] Window(ConvGeometry geometry, bool dilations = true)
    {
        var attributes = new List<OnnxAttribute>
        {
            OnnxAttribute.IntList("kernel_shape", geometry.Kernel),
            OnnxAttribute.IntList("strides", geometry.Stride),
            OnnxAttribute.IntList("pads", [.. geometry.PadBefore, .. geometry.PadAfter]),
        };
        if (dilations)
        {
            attributes.Add(OnnxAttribute.IntList("dilations", geometry.Dilation));
        }
        return [.. attributes];
    }

    /// <summary>ceil_mode = 1 only where rounding up changes the output size of this input; 0 otherwise (the same numbers either way).</summary>
    private static OnnxAttribute CeilMode(OnnxGraphBuilder graph, PoolingLayer pooling) =>
        OnnxAttribute.Int("ceil_mode", CeilChangesSize(graph.CurrentShape, pooling) ? 1 : 0);

    private static bool CeilChangesSize(Shape input, PoolingLayer pooling)
    {
        int[] spatial = input.Dimensions[2..].ToArray();
        return pooling.CeilMode && !pooling.Geometry.PoolingOutputSize(spatial, true).SequenceEqual(pooling.Geometry.PoolingOutputSize(spatial, false));
    }

    /// <summary>
    /// ONNX's LpPool takes an integer p and sums |x|^p over full windows; Convolve's (PyTorch's) sums
    /// x^p and scales a window clipped by ceil mode. They agree for an even integer p over full windows only.
    /// </summary>
    private static void ExportLpPool(OnnxGraphBuilder graph, LPPoolNd lp, string path, Shape output)
    {
        double p = lp.NormType;
        if (p != Math.Floor(p) || p % 2 != 0 || p > int.MaxValue)
        {
            throw new OnnxExportException(path, lp.Name,
                $"norm_type {p} is not an even integer: ONNX's LpPool takes an integer p and raises |x| to it, while this layer (as PyTorch's) raises x itself, which differs for negative inputs unless p is even");
        }
        if (CeilChangesSize(graph.CurrentShape, lp))
        {
            throw new OnnxExportException(path, lp.Name,
                $"ceil_mode adds a clipped last window for input {graph.CurrentShape}, which this layer scales by the kernel volume over the window's size; ONNX's LpPool (opset 17) has no ceil mode");
        }
        graph.Add(path, "LpPool", [], output, [.. Window(lp.Geometry, dilations: false), OnnxAttribute.Int("p", (long)p)]);
    }

    /// <summary>GlobalAveragePool for a 1×1 output; AveragePool when the input divides evenly into the bins; refused otherwise.</summary>
    private static void ExportAdaptive(OnnxGraphBuilder graph, AdaptiveAvgPool2d adaptive, string path, Shape output)
    {
        int height = graph.CurrentShape[2], width = graph.CurrentShape[3];
        int[] size = adaptive.OutputSize;
        if (size[0] == 1 && size[1] == 1)
        {
            graph.Add(path, "GlobalAveragePool", [], output);
            return;
        }
        if (height % size[0] != 0 || width % size[1] != 0)
        {
            throw new OnnxExportException(path, adaptive.Name,
                $"output size {Shape.Format(size)} does not divide the input {height}×{width}, so its bins differ in size; ONNX has no adaptive pooling");
        }
        int[] kernel = [height / size[0], width / size[1]];
        graph.Add(path, "AveragePool", [], output, OnnxAttribute.IntList("kernel_shape", kernel), OnnxAttribute.IntList("strides", kernel));
    }
}
