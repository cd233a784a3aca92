using Convolve.Data;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Onnx;
using Convolve.Tensors;

namespace Convolve.Tests.Cli;

/// <summary>
/// `convolve train --from FILE` fine-tunes an ONNX file or a checkpoint: the classifier head is new,
/// the layers up to --freeze-until keep their weights exactly, the rest train; bad combinations are
/// one line naming the option.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)]
public sealed class CliFineTuneTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convolve-cli-finetune-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void An_onnx_graph_fine_tunes_with_a_new_head_and_frozen_layers_kept()
    {
        // A graph (two branches joined by Concat) with a 3-class head, exported to ONNX; the sample data have 10 classes.
        var graph = new Graph(
        [
            new GraphNode("left", new Conv2d(1, 4, 3, padding: 1, random: new RandomSource(1)), ["input"]),
            new GraphNode("right", new Conv2d(1, 4, 1, random: new RandomSource(2)), ["input"]),
            new GraphNode("joined", new Concat(), ["left", "right"]),
            new GraphNode("relu", new ReLU(), ["joined"]),
            new GraphNode("pool", new MaxPool2d(4), ["relu"]),
            new GraphNode("mix", new Conv2d(8, 8, 3, padding: 1, random: new RandomSource(3)), ["pool"]),
            new GraphNode("flat", new Flatten(), ["mix"]),
            new GraphNode("head", new Linear(8 * 7 * 7, 3, random: new RandomSource(4)), ["flat"]),
        ], "head");
        string onnx = Path.Combine(folder, "branches.onnx");
        OnnxExporter.Save(onnx, graph, new Shape(1, 28, 28));
        string run = Path.Combine(folder, "run");
        var result = CliRunner.Run("train", "--from", onnx, "--freeze-until", "0.right", "--data", DatasetLocator.SampleDirectory,
            "--limit", "300", "--epochs", "1", "--threads", "1", "-o", run);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("model: branches,", result.Output, StringComparison.Ordinal);

        Layer tuned = Model.Load(Path.Combine(run, "best.safetensors"));
        var weights = tuned.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Value);
        // Imported as a graph inside a Sequential: paths start with 0.
        Assert.Equal(new Shape(10, 8 * 7 * 7), weights["0.head.weight"].Shape);
        Assert.Equal(graph.NamedParameters().First(p => p.Name == "left.weight").Parameter.Value.Data, weights["0.left.weight"].Data);
        Assert.Equal(graph.NamedParameters().First(p => p.Name == "right.bias").Parameter.Value.Data, weights["0.right.bias"].Data);
        Assert.NotEqual(graph.NamedParameters().First(p => p.Name == "mix.weight").Parameter.Value.Data, weights["0.mix.weight"].Data);
    }

    [Theory]
    [InlineData("--model", "convolve: --model lenet5 and --from")]
    [InlineData("--freeze-until", "convolve: --freeze-until nothing: FineTuning: no layer \"nothing\" has parameters; the layers with parameters are 0, 3, 7, 9, 11")]
    public void Bad_fine_tuning_options_are_one_line_naming_the_option(string option, string expected)
    {
        string model = Path.Combine(folder, "lenet.safetensors");
        Model.Save(model, ModelZoo.Create("lenet5", random: new RandomSource(1)));
        string[] extra = option == "--model" ? ["--model", "lenet5"] : ["--freeze-until", "nothing"];
        var result = CliRunner.Run(["train", "--from", model, .. extra, "--data", DatasetLocator.SampleDirectory, "--limit", "100", "--epochs", "1", "-o", Path.Combine(folder, "bad")]);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(expected, result.Error.Trim(), StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(folder, "bad")));
    }
}
