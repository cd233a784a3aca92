using Convolve.Onnx;

namespace Convolve.Tests.Onnx;

/// <summary>Well-formed models the importer cannot take: the operator or attribute and its node are named in one line.</summary>
public class ImportRefusalTests
{
    [Theory]
    [InlineData("auto_pad", "SAME_MIDDLE", "node 'c1' (Conv): attribute auto_pad \"SAME_MIDDLE\" is not supported: only NOTSET, VALID, and SAME_UPPER or SAME_LOWER on a convolution or pooling, are")]
    [InlineData("pads", "", "node 'c1' (Conv): attribute pads [0, -1, 1, 0] is not supported: negative padding (cropping) is not imported")]
    [InlineData("foo", "", "node 'c1' (Conv): attribute 'foo' is not supported (this operator's import knows kernel_shape, strides, pads, dilations, group, auto_pad)")]
    public void An_unsupported_attribute_is_named_with_its_node(string attribute, string value, string expected)
    {
        OnnxAttribute extra = attribute switch
        {
            "auto_pad" => new OnnxAttribute("auto_pad", OnnxFields.AttributeString, S: value),
            "pads" => OnnxAttribute.IntList("pads", [0, -1, 1, 0]),
            _ => OnnxAttribute.Int("foo", 1),
        };
        var ex = Assert.Throws<OnnxUnsupportedException>(() => OnnxImporter.Read(Model(extra), "m.onnx"));
        Assert.Equal("m.onnx: " + expected, ex.Message);
        Assert.Equal(("c1", "Conv"), (ex.NodeName, ex.OpType));
    }

    [Fact]
    public void A_node_that_does_not_lead_to_the_output_is_left_out()
    {
        // Two convolutions read the input and only the first reaches the output: the second is dead code, as ONNX allows.
        var weight = OnnxTensor.FromFloats("w", [1, 1, 1, 1], [2f]);
        var graph = new OnnxGraph("g",
            [new OnnxNode("a", "Conv", "", ["x", "w"], ["y"], []), new OnnxNode("b", "Conv", "", ["x", "w"], ["z"], [])],
            [weight], [Input()], [new OnnxValueInfo("y", OnnxFields.Float, [])]);
        byte[] file = OnnxEncoder.Encode(new OnnxModelProto(8, [("", 17)], "test", "", graph, []));
        var model = OnnxImporter.Read(file, "m.onnx").Model;
        var input = Convolve.Tensors.Tensor.RandomNormal(new Convolve.Tensors.Shape(1, 1, 5, 5), 3);
        Assert.Equal(input.Data.Select(v => 2 * v), model.Forward(input).Data);
        Assert.Single(model.NamedParameters(), p => p.Name.EndsWith("weight", StringComparison.Ordinal));
    }

    private static byte[] Model(OnnxAttribute extra)
    {
        var weight = OnnxTensor.FromFloats("w", [2, 1, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
        var conv = new OnnxNode("c1", "Conv", "", ["x", "w"], ["y"], [OnnxAttribute.IntList("kernel_shape", [2, 2]), extra]);
        var graph = new OnnxGraph("g", [conv], [weight], [Input()], [new OnnxValueInfo("y", OnnxFields.Float, [])]);
        return OnnxEncoder.Encode(new OnnxModelProto(8, [("", 17)], "test", "", graph, []));
    }

    private static OnnxValueInfo Input() => new("x", OnnxFields.Float, [(null, "N"), (1, ""), (5, ""), (5, "")]);
}
