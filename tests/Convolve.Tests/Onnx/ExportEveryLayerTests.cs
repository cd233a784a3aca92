using Convolve.Layers;
using Convolve.Models;
using Convolve.Onnx;
using Convolve.Tensors;
using Convolve.Tests.Models;

namespace Convolve.Tests.Onnx;

/// <summary>
/// Every layer type of the library (through <see cref="LayerSamples"/>, which a reflection test keeps
/// complete) goes to ONNX and comes back: ONNX Runtime computes the layer's output from the export,
/// and the import computes it again. A new layer type with a checkpoint format but no ONNX export or
/// import fails here, unless it is listed below with the reason ONNX cannot hold it.
/// </summary>
public class ExportEveryLayerTests
{
    /// <summary>Samples ONNX cannot describe, with the start of the export's or the import's refusal.</summary>
    private static readonly Dictionary<string, string> Refused = new()
    {
        ["BatchNorm1d"] = "(BatchNorm1d) to ONNX: it keeps no running statistics",
        ["LPPool1d"] = "(LPPool1d) to ONNX: ceil_mode adds a clipped last window",
        ["LPPool2d"] = "(LPPool2d) to ONNX",
        ["AdaptiveAvgPool2d"] = "(AdaptiveAvgPool2d) to ONNX: output size [3, 2] does not divide the input",
        ["Flatten"] = "node 'Reshape' (Reshape): attribute shape [-1, 5] is not supported",
    };

    public static TheoryData<string> Samples => LayerSamples.All();

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_layer_sample_goes_to_onnx_runtime_and_back_or_is_refused_by_name(string label)
    {
        Layer layer = LayerSamples.Create(label);
        Shape input = LayerSamples.Input(label);
        OnnxTestModels.RandomizeStatistics(layer, 3);
        layer.Eval();
        var x = Tensor.RandomNormal(input, 12);
        Tensor expected = layer.Forward(x);
        OnnxImport imported;
        try
        {
            byte[] file = OnnxExporter.Export(layer, new Shape(input.Dimensions[1..]));
            AssertClose(OnnxRuntimeRunner.Run(file, x), expected, $"{label} in ONNX Runtime");
            imported = OnnxImporter.Read(file, label);
        }
        catch (Exception ex) when (ex is OnnxExportException or OnnxUnsupportedException && Refused.ContainsKey(label))
        {
            Assert.Contains(Refused[label], ex.Message);
            return;
        }
        Assert.False(Refused.ContainsKey(label), $"{label} is listed as refused but goes through");
        imported.Model.Eval();
        AssertClose(imported.Model.Forward(x), expected, $"{label} imported: {ModelArchitecture.ToJson(imported.Model)}");
    }

    /// <summary>Infinities (a −∞ padding) must sit at the same places; the finite values within the ONNX tolerance.</summary>
    private static void AssertClose(Tensor actual, Tensor expected, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        for (int i = 0; i < expected.Size; i++)
        {
            Assert.True(float.IsInfinity(expected.Data[i]) == float.IsInfinity(actual.Data[i]) && (!float.IsInfinity(expected.Data[i]) || expected.Data[i] == actual.Data[i]),
                $"{what}: element {i} is {actual.Data[i]} but {expected.Data[i]} was expected");
        }
        float[] Finite(Tensor t) => [.. t.Data.Select(v => float.IsInfinity(v) ? 0f : v)];
        OnnxComparison.AssertClose(new Tensor(actual.Shape, Finite(actual)), new Tensor(expected.Shape, Finite(expected)), what);
    }
}
