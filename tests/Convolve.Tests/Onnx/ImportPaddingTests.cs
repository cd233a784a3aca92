using Convolve.Layers;
using Convolve.Onnx;
using Convolve.Tensors;
using Xunit.Abstractions;

namespace Convolve.Tests.Onnx;

/// <summary>
/// Uneven padding (auto_pad SAME_UPPER / SAME_LOWER at any stride, explicit pads that differ at the
/// two ends) is imported exactly or refused by name, never dropped: each case runs in ONNX Runtime
/// and through the import, and both the shape and the values must agree.
/// </summary>
public class ImportPaddingTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, int, int, int> AutoPadCases()
    {
        var cases = new TheoryData<string, string, int, int, int>();
        foreach (string op in new[] { "MaxPool", "AveragePoolIncluded", "Conv" })
        {
            foreach (string pad in new[] { "SAME_UPPER", "SAME_LOWER" })
            {
                foreach (var (kernel, stride, size) in new[] { (2, 1, 32), (3, 1, 31), (2, 2, 31), (3, 2, 32), (4, 3, 11), (1, 2, 9) })
                {
                    cases.Add(op, pad, kernel, stride, size);
                }
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(AutoPadCases))]
    public void Auto_pad_same_gives_onnx_runtimes_shape_and_values(string op, string autoPad, int kernel, int stride, int size)
    {
        byte[] file = Model(op, [new OnnxAttribute("auto_pad", OnnxFields.AttributeString, S: autoPad)], kernel, stride, size);
        Compare(file, size, $"{op} {autoPad} k{kernel} s{stride} on {size}");
    }

    [Theory]
    [InlineData("MaxPool", 0, 1, 1, 0)]
    [InlineData("MaxPool", 1, 0, 0, 1)]
    [InlineData("AveragePoolIncluded", 0, 0, 1, 1)]
    [InlineData("Conv", 2, 0, 1, 2)]
    [InlineData("Conv", 0, 1, 1, 1)]
    public void Explicit_uneven_pads_give_onnx_runtimes_shape_and_values(string op, int top, int left, int bottom, int right)
    {
        byte[] file = Model(op, [OnnxAttribute.IntList("pads", [top, left, bottom, right])], 3, 1, 12);
        Compare(file, 12, $"{op} pads [{top}, {left}, {bottom}, {right}]");
    }

    [Theory]
    [InlineData(2, 3, 10, 10, "NOTSET")]
    [InlineData(2, 3, 9, 11, "NOTSET")]
    [InlineData(3, 3, 13, 12, "NOTSET")]
    [InlineData(2, 4, 10, 10, "SAME_UPPER")]
    public void ConvTranspose_output_shape_gives_onnx_runtimes_shape_and_values(int stride, int kernel, int height, int width, string autoPad)
    {
        var weight = Tensor.RandomNormal(new Shape(2, 3, kernel, kernel), 8);
        var node = new OnnxNode("n", "ConvTranspose", "", ["x", "w"], ["y"],
        [
            OnnxAttribute.IntList("kernel_shape", [kernel, kernel]), OnnxAttribute.IntList("strides", [stride, stride]),
            OnnxAttribute.IntList("output_shape", [height, width]), new OnnxAttribute("auto_pad", OnnxFields.AttributeString, S: autoPad),
        ]);
        var graph = new OnnxGraph("g", [node], [OnnxTensor.FromFloats("w", [2, 3, kernel, kernel], weight.Data)],
            [new OnnxValueInfo("x", OnnxFields.Float, [(2, ""), (2, ""), (5, ""), (5, "")])],
            [new OnnxValueInfo("y", OnnxFields.Float, [(null, "N"), (null, "C"), (null, "H"), (null, "W")])]);
        Compare(OnnxEncoder.Encode(new OnnxModelProto(8, [("", 17)], "test", "", graph, [])), 5, $"ConvTranspose s{stride} k{kernel} to {height}×{width} {autoPad}");
    }

    [Fact]
    public void Onnx_node_test_maxpool_2d_same_upper_keeps_its_32_by_32_output()
    {
        // ONNX's backend node test test_maxpool_2d_same_upper: [1, 3, 32, 32], kernel 2×2, auto_pad SAME_UPPER → [1, 3, 32, 32].
        byte[] file = Model("MaxPool", [new OnnxAttribute("auto_pad", OnnxFields.AttributeString, S: "SAME_UPPER")], 2, 1, 32, channels: 3, batch: 1);
        OnnxImport imported = OnnxImporter.Read(file, "same_upper.onnx");
        Assert.Equal(new Shape(1, 3, 32, 32), imported.Model.OutputShape(new Shape(1, 3, 32, 32)));
    }

    [Fact]
    public void Uneven_padding_of_an_average_that_does_not_count_it_is_refused_by_name()
    {
        byte[] file = Model("AveragePool", [new OnnxAttribute("auto_pad", OnnxFields.AttributeString, S: "SAME_UPPER")], 2, 1, 8);
        var ex = Assert.Throws<OnnxUnsupportedException>(() => OnnxImporter.Read(file, "m.onnx"));
        Assert.Equal("m.onnx: node 'n' (AveragePool): attribute pads [0, 0, 1, 1] is not supported: uneven padding of an average pooling that does not count the padding (count_include_pad 0) has no layer here", ex.Message);
    }

    private void Compare(byte[] file, int size, string what)
    {
        var input = Tensor.RandomNormal(new Shape(2, 2, size, size), 77);
        Tensor expected = OnnxRuntimeRunner.Run(file, input);
        OnnxImport imported = OnnxImporter.Read(file, what);
        imported.Model.Eval();
        Tensor actual = imported.Model.Forward(input);
        Assert.Equal(expected.Shape, actual.Shape);
        double relative = OnnxComparison.AssertClose(actual, expected, what);
        output.WriteLine($"{what}: {actual.Shape}, relative difference {relative:E2}");
    }

    /// <summary>One node on an input [batch, channels, size, size]; "AveragePoolIncluded" is AveragePool with count_include_pad 1.</summary>
    private static byte[] Model(string op, OnnxAttribute[] padding, int kernel, int stride, int size, int channels = 2, int batch = 2)
    {
        var attributes = new List<OnnxAttribute> { OnnxAttribute.IntList("kernel_shape", [kernel, kernel]), OnnxAttribute.IntList("strides", [stride, stride]) };
        attributes.AddRange(padding);
        var initializers = new List<OnnxTensor>();
        string[] inputs = ["x"];
        string opType = op;
        if (op == "AveragePoolIncluded")
        {
            (opType, attributes) = ("AveragePool", [.. attributes, OnnxAttribute.Int("count_include_pad", 1)]);
        }
        if (op == "Conv")
        {
            var weight = Tensor.RandomNormal(new Shape(3, channels, kernel, kernel), 5);
            initializers.Add(OnnxTensor.FromFloats("w", [3, channels, kernel, kernel], weight.Data));
            initializers.Add(OnnxTensor.FromFloats("b", [3], [0.1f, -0.2f, 0.3f]));
            inputs = ["x", "w", "b"];
        }
        var node = new OnnxNode("n", opType, "", inputs, ["y"], [.. attributes]);
        var graph = new OnnxGraph("g", [node], [.. initializers],
            [new OnnxValueInfo("x", OnnxFields.Float, [(batch, ""), (channels, ""), (size, ""), (size, "")])],
            [new OnnxValueInfo("y", OnnxFields.Float, [(null, "N"), (null, "C"), (null, "H"), (null, "W")])]);
        return OnnxEncoder.Encode(new OnnxModelProto(8, [("", 17)], "test", "", graph, []));
    }
}
