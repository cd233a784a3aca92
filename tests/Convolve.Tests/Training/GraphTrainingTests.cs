using Convolve.Data;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Models;
using Convolve.Optimizers;
using Convolve.Tensors;
using Convolve.Tests.Serialization;
using Convolve.Training;

namespace Convolve.Tests.Training;

/// <summary>A <see cref="Graph"/> model trains with the Trainer like a chain does, and survives a checkpoint with its numbers.</summary>
public class GraphTrainingTests
{
    /// <summary>Two branches on [N, 1, 4, 4] joined by Concat, gated by a squeeze-excitation Mul, then a linear head.</summary>
    private static Graph Branchy(ulong seed) => new(
    [
        new GraphNode("left", new Conv2d(1, 2, 3, padding: 1, random: new RandomSource(seed)), ["input"]),
        new GraphNode("right", new Conv2d(1, 2, 1, random: new RandomSource(seed + 1)), ["input"]),
        new GraphNode("relu", new ReLU(), ["left"]),
        new GraphNode("joined", new Concat(), ["relu", "right"]),
        new GraphNode("squeeze", new AdaptiveAvgPool2d(1), ["joined"]),
        new GraphNode("gate", new Sigmoid(), ["squeeze"]),
        new GraphNode("scaled", new Mul(), ["joined", "gate"]),
        new GraphNode("flat", new Flatten(), ["scaled"]),
        new GraphNode("head", new Linear(64, 3, random: new RandomSource(seed + 2)), ["flat"]),
    ], "head");

    [Fact]
    public void A_graph_learns_the_blobs_and_reloads_with_the_same_logits()
    {
        Graph model = Branchy(5);
        var optimizer = new Sgd(model.NamedParameters().Select(p => p.Parameter), 0.1, momentum: 0.9);
        var trainer = new Trainer(model, optimizer, new CrossEntropyLoss(), new TrainerOptions { Epochs = 4 });
        TrainingHistory history = trainer.Fit(new DataLoader(TrainingSetup.Blobs(90, 3), 10, seed: 4), TrainingSetup.Blobs(30, 8));
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss * 0.7, $"train loss {history.Epochs[0].TrainLoss} → {history.Epochs[^1].TrainLoss}");
        Assert.True(history.Epochs[^1].ValidationAccuracy >= 0.9, $"validation accuracy {history.Epochs[^1].ValidationAccuracy}");

        using var folder = new TemporaryFolder();
        Model.Save(folder.File("graph.safetensors"), model);
        Layer loaded = Model.Load(folder.File("graph.safetensors"));
        Assert.IsType<Graph>(loaded);
        model.Eval();
        loaded.Eval();
        var x = Tensor.RandomNormal(new Shape(3, 1, 4, 4), 9);
        Assert.Equal(model.Forward(x).Data, loaded.Forward(x).Data);
    }
}
