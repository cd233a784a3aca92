using Convolve.Layers;
using Convolve.Onnx;
using Convolve.Tensors;
using Xunit.Abstractions;

namespace Convolve.Tests.Onnx;

/// <summary>Random layer configurations, exported and run by ONNX Runtime, give Convolve's outputs.</summary>
public class ExportLayerTests(ITestOutputHelper output)
{
    private const int Cases = 400;
    private const ulong Seed = 20_261_127;

    [Fact]
    public void Random_layer_configurations_agree_with_Onnx_Runtime()
    {
        var random = new RandomSource(Seed);
        var layers = new RandomLayers(random);
        var worst = new Dictionary<string, double>();
        for (int c = 0; c < Cases; c++)
        {
            var (layer, item, kind) = layers.Next();
            OnnxTestModels.RandomizeStatistics(layer, (ulong)c);
            layer.Eval();
            var input = Tensor.RandomNormal(new Shape([2, .. item.Dimensions]), (ulong)c + 1);
            Tensor expected = layer.Forward(input);
            string what = $"case {c} ({kind}, input {input.Shape}): {Convolve.Models.ModelArchitecture.ToJson(layer)}";
            byte[] file = OnnxExporter.Export(layer, item);
            double relative = OnnxComparison.AssertClose(OnnxRuntimeRunner.Run(file, input), expected, what);
            worst[kind] = Math.Max(worst.GetValueOrDefault(kind), relative);
        }
        foreach (var (kind, relative) in worst.OrderBy(e => e.Key))
        {
            output.WriteLine($"{kind}: worst relative difference {relative:E2}");
        }
        Assert.Equal(10, worst.Count);
    }
}
