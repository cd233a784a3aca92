using Convolve.Layers;
using Convolve.Onnx;
using Convolve.Tensors;

namespace Convolve.Tests.Onnx;

/// <summary>Operator forms PyTorch and other exporters write that the import reads (issue 19), each against ONNX Runtime.</summary>
public class ImportOperatorTests
{
    [Fact]
    public void Gemm_with_one_broadcast_bias_value_alpha_and_beta_gives_onnx_runtimes_values()
    {
        var weight = Tensor.RandomNormal(new Shape(3, 8), 2);
        var gemm = new OnnxNode("fc", "Gemm", "", ["f", "w", "c"], ["y"],
            [OnnxAttribute.Int("transB", 1), OnnxAttribute.Float("alpha", 0.5f), OnnxAttribute.Float("beta", 2f)]);
        byte[] file = File([Flatten(1), gemm], [OnnxTensor.FromFloats("w", [3, 8], weight.Data), OnnxTensor.FromFloats("c", [1], [0.25f])], channels: 2, size: 2);
        Compare(file, new Shape(2, 2, 2, 2));
    }

    [Fact]
    public void Flatten_past_sizes_of_one_is_a_flatten_and_across_channels_is_refused()
    {
        Compare(File([Flatten(2)], [], channels: 1, size: 3), new Shape(2, 1, 3, 3));
        var ex = Assert.Throws<OnnxUnsupportedException>(() => OnnxImporter.Read(File([Flatten(2)], [], channels: 2, size: 3), "f.onnx"));
        Assert.StartsWith("f.onnx: node 'flatten' (Flatten): attribute axis 2 is not supported: only an axis that keeps the batch apart", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_identity_of_an_initializer_is_a_constant_and_the_chain_stays_a_layer_tree()
    {
        var weight = Tensor.RandomNormal(new Shape(2, 2, 1, 1), 4);
        OnnxNode[] nodes =
        [
            new("alias", "Identity", "", ["b"], ["b2"], []),
            new("c1", "Conv", "", ["x", "w", "b"], ["h"], []),
            new("c2", "Conv", "", ["h", "w", "b2"], ["y"], []),
        ];
        byte[] file = File(nodes, [OnnxTensor.FromFloats("w", [2, 2, 1, 1], weight.Data), OnnxTensor.FromFloats("b", [2], [0.5f, -1f])], channels: 2, size: 3);
        OnnxImport imported = OnnxImporter.Read(file, "i.onnx");
        Assert.All(imported.Model, layer => Assert.IsNotType<Graph>(layer));
        Compare(file, new Shape(2, 2, 3, 3));
    }

    private static OnnxNode Flatten(int axis) => new("flatten", "Flatten", "", ["x"], ["f"], [OnnxAttribute.Int("axis", axis)]);

    private static void Compare(byte[] file, Shape shape)
    {
        var input = Tensor.RandomNormal(shape, 31);
        OnnxImport imported = OnnxImporter.Read(file, "m.onnx");
        imported.Model.Eval();
        Tensor expected = OnnxRuntimeRunner.Run(file, input);
        Tensor actual = imported.Model.Forward(input);
        Assert.Equal(expected.Shape, actual.Shape);
        OnnxComparison.AssertClose(actual, expected, "import");
    }

    private static byte[] File(OnnxNode[] nodes, OnnxTensor[] initializers, int channels, int size)
    {
        var graph = new OnnxGraph("g", nodes, initializers,
            [new OnnxValueInfo("x", OnnxFields.Float, [(2, ""), (channels, ""), (size, ""), (size, "")])],
            [new OnnxValueInfo(nodes[^1].Outputs[0], OnnxFields.Float, [])]);
        return OnnxEncoder.Encode(new OnnxModelProto(8, [("", 17)], "test", "", graph, []));
    }
}
