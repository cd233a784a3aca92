using System.Text.Json;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Tensors;

namespace Convolve.Tests.Golden;

/// <summary>
/// The graph layers of issue 19 against PyTorch 1.13 (tools/reference/make_golden_graph.py writes
/// Data/golden_graph.bin.gz). Each case's options are the layer's checkpoint fields, so the layer is
/// built from its architecture JSON; merge layers take input0, input1, ... and give one gradient each.
/// </summary>
public class GoldenGraphTests
{
    private static readonly Lazy<IReadOnlyList<GoldenCase>> Cases = new(() => GoldenFile.Read(Path.Combine(AppContext.BaseDirectory, "Data", "golden_graph.bin.gz")));

    public static TheoryData<string> CaseNames() => [.. Cases.Value.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Matches_PyTorch(string caseName)
    {
        GoldenCase c = Cases.Value.Single(g => g.Name == caseName);
        var fields = new Dictionary<string, JsonElement>(c.Options.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value)))
        {
            ["type"] = JsonSerializer.SerializeToElement(c.Kind),
        };
        Layer layer = ModelArchitecture.FromJson(JsonSerializer.Serialize(fields));
        if (layer is MergeLayer merge)
        {
            Tensor[] inputs = [.. c.Tensors.Keys.Where(k => k.StartsWith("input", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Select(k => c[k])];
            Measure(c, "output", merge.Forward(inputs));
            IReadOnlyList<Tensor> grads = merge.BackwardAll(c["grad_output"]);
            for (int k = 0; k < inputs.Length; k++)
            {
                Measure(c, $"grad_input{k}", grads[k]);
            }
            return;
        }
        Measure(c, "output", layer.Forward(c["input"]));
        Measure(c, "grad_input", layer.Backward(c["grad_output"]));
    }

    [Fact]
    public void Every_graph_layer_has_golden_cases()
    {
        string[] kinds = ["Hardtanh", "SiLU", "Hardswish", "Hardsigmoid", "Softmax", "GlobalMaxPool", "ReduceMean", "Slice", "ChannelShuffle", "ConstantPad", "Concat", "Add", "Mul"];
        Assert.Empty(kinds.Except(Cases.Value.Select(c => c.Kind)));
    }

    private static void Measure(GoldenCase c, string name, Tensor actual)
    {
        Tensor expected = c[name];
        Assert.True(expected.Shape == actual.Shape, $"{c.Name} {name}: shape {actual.Shape} but PyTorch gives {expected.Shape}");
        for (int i = 0; i < expected.Size; i++)
        {
            double error = Math.Abs((double)actual.Data[i] - expected.Data[i]) / (1 + Math.Abs(expected.Data[i]));
            Assert.True(error <= GoldenRunner.Tolerance, $"{c.Name} {name}[{i}]: ours {actual.Data[i]:G9}, PyTorch {expected.Data[i]:G9} (normalised error {error:G3})");
        }
    }
}
