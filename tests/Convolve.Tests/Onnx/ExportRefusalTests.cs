using Convolve.Layers;
using Convolve.Onnx;
using Convolve.Tensors;
using Convolve.Tests.Serialization;

namespace Convolve.Tests.Onnx;

/// <summary>Layers ONNX cannot express are refused by path and type, and nothing is written.</summary>
public class ExportRefusalTests
{
    public static TheoryData<Layer, int[], string> Refused() => new()
    {
        { new Sequential(new Conv2d(1, 2, 3), new LPPool2d(3, 2)), [1, 8, 8], "layer \"1\" (LPPool2d)" },
        { new Sequential(new LPPool1d(1.5, 2)), [2, 9], "norm_type 1.5 is not an even integer" },
        { new Sequential(new LPPool2d(2, 2, ceilMode: true)), [1, 7, 7], "ceil_mode adds a clipped last window" },
        { new Sequential(new ReLU(), new AdaptiveAvgPool2d(3)), [1, 7, 7], "layer \"1\" (AdaptiveAvgPool2d)" },
        { new Sequential(new Residual(new Sequential(new BatchNorm2d(2, trackRunningStats: false)))), [2, 4, 4], "layer \"0.body.0\" (BatchNorm2d)" },
        { new Sequential(new ReLU(), new Doubling()), [3], "layer \"1\" (Doubling) to ONNX: no ONNX operator" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void An_inexpressible_layer_is_named_and_nothing_is_written(Layer model, int[] item, string expected)
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "model.onnx");
        var ex = Assert.Throws<OnnxExportException>(() => OnnxExporter.Save(path, model, new Shape(item)));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Lp_pooling_in_ceil_mode_is_exported_where_no_window_is_clipped()
    {
        var model = new Sequential(new LPPool2d(2, 2, ceilMode: true));
        var input = Tensor.RandomNormal(new Shape(2, 1, 6, 6), 3);
        Tensor expected = model.Forward(input);
        OnnxComparison.AssertClose(OnnxRuntimeRunner.Run(OnnxExporter.Export(model, new Shape(1, 6, 6)), input), expected, "LPPool2d ceil");
    }

    [Fact]
    public void An_empty_model_is_the_identity()
    {
        var input = Tensor.RandomNormal(new Shape(2, 3), 4);
        OnnxComparison.AssertClose(OnnxRuntimeRunner.Run(OnnxExporter.Export(new Sequential(), new Shape(3)), input), input, "identity");
    }

    [Fact]
    public void Metadata_reaches_Onnx_Runtime()
    {
        var metadata = new Dictionary<string, string> { ["normalization_mean"] = "0.286", ["class_names"] = "[\"cat\",\"dog\"]" };
        byte[] file = OnnxExporter.Export(new Sequential(new Linear(3, 2)), new Shape(3), metadata);
        Assert.Equal(metadata, OnnxRuntimeRunner.Metadata(file));
    }

    /// <summary>A layer defined outside the library.</summary>
    private sealed class Doubling : Layer
    {
        public override Shape OutputShape(Shape inputShape) => inputShape;

        public override Tensor Forward(Tensor input) => new(input.Shape, input.Data.Select(x => 2 * x).ToArray());

        public override Tensor Backward(Tensor gradOutput) => gradOutput;
    }
}
