using Convolve.Layers;
using Convolve.Models;
using Convolve.Onnx;
using Convolve.Tensors;
using Convolve.Tests.Cli;
using Convolve.Tests.Serialization;

namespace Convolve.Tests.Onnx;

/// <summary><c>convolve export --format onnx</c> and <c>convolve import</c>: round trips, refusals (exit 2, nothing written).</summary>
public sealed class OnnxCliTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Export_then_import_keeps_the_logits_normalisation_and_class_names()
    {
        Sequential model = ModelZoo.Create("lenet5", random: new RandomSource(3));
        string saved = SaveWithMetadata(model, "[1,28,28]");
        var exported = CliRunner.Run("export", saved, "--format", "onnx", "-o", folder.File("m.onnx"));
        Assert.True(exported.ExitCode == 0, exported.Error);
        Assert.Contains("ONNX opset 17", exported.Output, StringComparison.Ordinal);
        var imported = CliRunner.Run("import", folder.File("m.onnx"), "-o", folder.File("back.safetensors"));
        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains("(inputs normalised with mean 0.25, std 0.5)", imported.Output, StringComparison.Ordinal);
        var back = Convolve.Serialization.CheckpointReader.Load(folder.File("back.safetensors"));
        Assert.Equal("[\"a\",\"b\"]", back.Metadata["class_names"]);
        Assert.Equal("[1,28,28]", back.Metadata["input_shape"]);
        Layer rebuilt = Model.FromCheckpoint(back, "back");
        model.Eval();
        rebuilt.Eval();
        var input = Tensor.RandomNormal(new Shape(2, 1, 28, 28), 4);
        Assert.Equal(model.Forward(input).Data, rebuilt.Forward(input).Data);
    }

    [Fact]
    public void Per_channel_normalisation_travels_through_Onnx_and_an_option_replaces_it()
    {
        string saved = folder.File("rgb.safetensors");
        Model.Save(saved, ModelZoo.Create("lenet5", inChannels: 3, imageSize: 16, random: new RandomSource(5)), new Dictionary<string, string>
        {
            ["normalization_mean"] = "[0.5,0.25,0.125]", ["normalization_std"] = "[0.2,0.3,0.4]", ["input_shape"] = "[3,16,16]",
        });
        Assert.Equal(0, CliRunner.Run("export", saved, "--format", "onnx", "-o", folder.File("rgb.onnx")).ExitCode);
        var imported = CliRunner.Run("import", folder.File("rgb.onnx"), "-o", folder.File("rgb-back.safetensors"));
        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains("mean [0.5, 0.25, 0.125], std [0.2, 0.3, 0.4]", imported.Output, StringComparison.Ordinal);
        var given = CliRunner.Run("import", folder.File("rgb.onnx"), "-o", folder.File("rgb-given.safetensors"), "--mean", "0.5", "--std", "0.25");
        Assert.Contains("mean 0.5, std 0.25", given.Output, StringComparison.Ordinal);
        var bad = CliRunner.Run("import", folder.File("rgb.onnx"), "-o", folder.File("rgb-bad.safetensors"), "--std", "0");
        Assert.Equal(2, bad.ExitCode);
        Assert.False(File.Exists(folder.File("rgb-bad.safetensors")));
    }

    [Fact]
    public void Export_takes_the_input_shape_from_the_option_when_none_is_recorded()
    {
        string saved = folder.File("plain.safetensors");
        Model.Save(saved, new Sequential(new Conv1d(2, 3, 3), new Flatten(), new Linear(12, 2)));
        var refused = CliRunner.Run("export", saved, "--format", "onnx", "-o", folder.File("p.onnx"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("does not record its input shape; give it with --input-shape", refused.Error, StringComparison.Ordinal);
        var bad = CliRunner.Run("export", saved, "--format", "onnx", "--input-shape", "2xL", "-o", folder.File("p.onnx"));
        Assert.Equal("convolve: --input-shape must be positive sizes such as 1x28x28 but got '2xL'", bad.Error.Trim());
        Assert.Equal(0, CliRunner.Run("export", saved, "--format", "onnx", "--input-shape", "2x6", "-o", folder.File("p.onnx")).ExitCode);
        Assert.Equal(new Shape(2, 6), OnnxImporter.Load(folder.File("p.onnx")).ItemShape);
    }

    [Fact]
    public void A_layer_onnx_cannot_express_is_one_line_exit_2_and_nothing_is_written()
    {
        string saved = SaveWithMetadata(new Sequential(new Conv2d(1, 2, 3), new LPPool2d(3, 2)), "[1,8,8]");
        var result = CliRunner.Run("export", saved, "--format", "onnx", "-o", folder.File("x.onnx"));
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("convolve: cannot export layer \"1\" (LPPool2d) to ONNX: norm_type 3 is not an even integer", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(File.Exists(folder.File("x.onnx")));
    }

    [Fact]
    public void An_unsupported_operator_names_its_node_and_a_malformed_file_its_offset()
    {
        string softmax = Path.Combine(AppContext.BaseDirectory, "Data", "onnx", "logsoftmax.onnx");
        var unsupported = CliRunner.Run("import", softmax, "-o", folder.File("s.safetensors"));
        Assert.Equal(2, unsupported.ExitCode);
        Assert.Contains("node '/3/LogSoftmax' (LogSoftmax): operator LogSoftmax is not supported", unsupported.Error, StringComparison.Ordinal);
        File.WriteAllBytes(folder.File("cut.onnx"), File.ReadAllBytes(softmax)[..200]);
        var malformed = CliRunner.Run("import", folder.File("cut.onnx"), "-o", folder.File("c.safetensors"));
        Assert.Equal(2, malformed.ExitCode);
        Assert.Matches(@"^convolve: .*cut\.onnx: at byte \d+: ", malformed.Error);
        Assert.Single(malformed.Error.Trim().Split('\n'));
        Assert.Equal(["cut.onnx"], folder.Names());
    }

    private string SaveWithMetadata(Layer model, string inputShape)
    {
        string path = folder.File("model.safetensors");
        Model.Save(path, model, new Dictionary<string, string>
        {
            ["normalization_mean"] = "0.25", ["normalization_std"] = "0.5", ["class_names"] = "[\"a\",\"b\"]", ["input_shape"] = inputShape,
        });
        return path;
    }
}
