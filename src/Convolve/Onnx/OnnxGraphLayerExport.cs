using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Onnx;

/// <summary>
/// The ONNX form of a <see cref="Graph"/> (each node exported on the values it reads; merge layers
/// as Concat, Add, Mul) and of the layers that came with it: Hardtanh → Clip, SiLU → Sigmoid·Mul
/// (opset 17 has no SiLU), Hardswish → HardSwish, Hardsigmoid → HardSigmoid (α = 1/6, β = 1/2),
/// Softmax → Softmax, GlobalMaxPool → GlobalMaxPool, ReduceMean → ReduceMean, Slice → Slice,
/// ChannelShuffle → Reshape, Transpose, Reshape (as PyTorch writes it).
/// </summary>
internal static class OnnxGraphLayerExport
{
    /// <summary>Exports every node of <paramref name="dag"/>, in order, then makes the graph's output current.</summary>
    public static void ExportGraph(OnnxGraphBuilder graph, Graph dag, string path)
    {
        var values = new Dictionary<string, (string Value, Shape Shape)>(StringComparer.Ordinal) { [dag.Input] = (graph.Current, graph.CurrentShape) };
        foreach (GraphNode node in dag.Nodes)
        {
            string nodePath = OnnxLayerExport.Child(path, node.Name);
            var read = node.Inputs.Select(v => values[v]).ToArray();
            if (node.Layer is MergeLayer merge)
            {
                Shape output = merge.OutputShape([.. read.Select(r => r.Shape)]);
                string[] inputs = [.. read.Select(r => r.Value)];
                _ = merge switch
                {
                    Concat concat => graph.AddWithInputs(nodePath, "Concat", inputs, output, OnnxAttribute.Int("axis", concat.Dim)),
                    Layers.Add => graph.AddWithInputs(nodePath, "Add", inputs, output),
                    Mul => graph.AddWithInputs(nodePath, "Mul", inputs, output),
                    _ => throw new OnnxExportException(nodePath, merge.Name, "no ONNX operator is known for this merge layer"),
                };
            }
            else
            {
                (graph.Current, graph.CurrentShape) = read[0];
                OnnxLayerExport.Export(graph, node.Layer, nodePath);
            }
            values[node.Name] = (graph.Current, graph.CurrentShape);
        }
        (graph.Current, graph.CurrentShape) = values[dag.Output];
    }

    /// <summary>The single-input layers of issue 19; anything else has no ONNX form.</summary>
    public static void ExportPointwise(OnnxGraphBuilder graph, Layer layer, string path)
    {
        Shape shape = graph.CurrentShape;
        switch (layer)
        {
            case Hardtanh clip:
                string min = graph.AddInitializer(OnnxLayerExport.Child(path, "min"), [], [clip.MinVal]);
                string max = graph.AddInitializer(OnnxLayerExport.Child(path, "max"), [], [clip.MaxVal]);
                graph.Add(path, "Clip", [min, max], shape);
                break;
            case SiLU:
                string x = graph.Current;
                string gate = graph.Add(OnnxLayerExport.Child(path, "sigmoid"), "Sigmoid", [], shape);
                graph.AddWithInputs(path, "Mul", [x, gate], shape);
                break;
            case Hardswish:
                graph.Add(path, "HardSwish", [], shape);
                break;
            case Hardsigmoid:
                graph.Add(path, "HardSigmoid", [], shape, OnnxAttribute.Float("alpha", 1f / 6), OnnxAttribute.Float("beta", 0.5f));
                break;
            case Softmax softmax:
                graph.Add(path, "Softmax", [], shape, OnnxAttribute.Int("axis", softmax.Dim));
                break;
            case GlobalMaxPool pool:
                graph.Add(path, "GlobalMaxPool", [], pool.OutputShape(shape));
                break;
            case ReduceMean mean:
                graph.Add(path, "ReduceMean", [], mean.OutputShape(shape),
                    OnnxAttribute.IntList("axes", Enumerable.Range(mean.StartDim, shape.Rank - mean.StartDim)), OnnxAttribute.Int("keepdims", mean.KeepDim ? 1 : 0));
                break;
            case Slice slice:
                string starts = graph.AddInt64Initializer(OnnxLayerExport.Child(path, "starts"), [slice.Start]);
                string ends = graph.AddInt64Initializer(OnnxLayerExport.Child(path, "ends"), [slice.End]);
                string axes = graph.AddInt64Initializer(OnnxLayerExport.Child(path, "axes"), [slice.Dim]);
                graph.Add(path, "Slice", [starts, ends, axes], slice.OutputShape(shape));
                break;
            case ChannelShuffle shuffle:
                ExportShuffle(graph, shuffle, path, shape);
                break;
            case Concat concat:
                graph.Add(path, "Concat", [], shape, OnnxAttribute.Int("axis", concat.Dim));
                break;
            default:
                throw new OnnxExportException(path, layer.Name, "no ONNX operator is known for this layer type");
        }
    }

    /// <summary>[N, C, rest] → Reshape [N, g, C/g, rest] → Transpose (swap 1 and 2) → Reshape [N, C, rest]; the batch is 0 (copied).</summary>
    private static void ExportShuffle(OnnxGraphBuilder graph, ChannelShuffle shuffle, string path, Shape shape)
    {
        int g = shuffle.Groups, c = shape[1];
        long[] rest = [.. shape.Dimensions[2..].ToArray().Select(d => (long)d)];
        Shape grouped = new([shape[0], g, c / g, .. shape.Dimensions[2..]]), swapped = new([shape[0], c / g, g, .. shape.Dimensions[2..]]);
        string split = graph.AddInt64Initializer(OnnxLayerExport.Child(path, "grouped_shape"), [0, g, c / g, .. rest]);
        graph.Add(OnnxLayerExport.Child(path, "reshape"), "Reshape", [split], grouped);
        graph.Add(OnnxLayerExport.Child(path, "transpose"), "Transpose", [], swapped, OnnxAttribute.IntList("perm", [0, 2, 1, .. Enumerable.Range(3, rest.Length)]));
        string merged = graph.AddInt64Initializer(OnnxLayerExport.Child(path, "shape"), [0, c, .. rest]);
        graph.Add(path, "Reshape", [merged], shape);
    }
}
