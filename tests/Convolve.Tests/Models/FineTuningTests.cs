using Convolve.Layers;
using Convolve.Models;
using Convolve.Tensors;

namespace Convolve.Tests.Models;

/// <summary>The classifier head found and replaced through chains and graphs; freezing by layer path.</summary>
public class FineTuningTests
{
    [Fact]
    public void A_squeezenet_style_one_by_one_convolution_head_is_replaced_past_pooling_and_flatten()
    {
        var model = new Sequential(new Conv2d(3, 4, 3, random: new RandomSource(1)), new ReLU(), new Conv2d(4, 7, 1, random: new RandomSource(2)),
            new ReLU(), new AdaptiveAvgPool2d(1), new Flatten());
        Layer tuned = FineTuning.ReplaceHead(model, 3, new RandomSource(3));
        Assert.Equal(new Shape(2, 3), tuned.OutputShape(new Shape(2, 3, 8, 8)));
        Assert.Same(model[0], ((Sequential)tuned)[0]);
    }

    [Fact]
    public void A_graph_head_is_replaced_at_the_output_node_and_the_rest_is_shared()
    {
        Graph graph = LayerSamplesHead();
        var tuned = Assert.IsType<Graph>(FineTuning.ReplaceHead(graph, 5));
        Assert.Equal(new Shape(2, 5), tuned.OutputShape(new Shape(2, 2, 4, 4)));
        Assert.Same(graph.Nodes[0].Layer, tuned.Nodes[0].Layer);
    }

    [Fact]
    public void A_model_that_ends_in_a_join_or_without_a_head_is_refused_with_its_last_layer()
    {
        var ex = Assert.Throws<ArgumentException>(() => FineTuning.ReplaceHead(new Sequential(new Conv2d(1, 2, 3, random: new RandomSource(1)), new Tanh(), new MaxPool2d(2)), 3));
        Assert.Contains("ends in no Linear or 1×1 Conv2d head", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Conv2d", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Freezing_until_a_layer_leaves_out_its_parameters_and_every_earlier_one()
    {
        Graph graph = LayerSamplesHead();
        Assert.Equal(["head.weight", "head.bias"], Names(graph, FineTuning.Trainable(graph, "conv")));
        Assert.Equal(graph.NamedParameters().Count(), FineTuning.Trainable(graph, null).Count);
    }

    private static string[] Names(Layer model, IReadOnlyList<Parameter> parameters) =>
        [.. model.NamedParameters().Where(p => parameters.Contains(p.Parameter)).Select(p => p.Name)];

    private static Graph LayerSamplesHead() => new(
    [
        new GraphNode("conv", new Conv2d(2, 2, 3, padding: 1, random: new RandomSource(1)), ["input"]),
        new GraphNode("sum", new Add(), ["conv", "input"]),
        new GraphNode("flat", new Flatten(), ["sum"]),
        new GraphNode("drop", new Dropout(0.2f), ["flat"]),
        new GraphNode("head", new Linear(32, 4, random: new RandomSource(2)), ["drop"]),
    ], "head");
}
