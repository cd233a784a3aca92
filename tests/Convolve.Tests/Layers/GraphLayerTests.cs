using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Models;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Layers;

/// <summary>
/// The graph layer and the layers that came with it: central-difference gradient checks for each,
/// a graph equal to the residual block it spells out, and the constructor's refusals.
/// </summary>
public class GraphLayerTests
{
    public static TheoryData<string> Checked() =>
    [
        "Hardtanh ReLU6", "SiLU", "Hardswish", "Hardsigmoid", "Softmax", "GlobalMaxPool", "ReduceMean", "ReduceMean kept",
        "Slice", "ChannelShuffle", "Concat", "Graph", "ConstantPad 2-d",
    ];

    [Theory]
    [MemberData(nameof(Checked))]
    public void Gradients_match_central_differences(string label)
    {
        Layer layer = LayerSamples.Create(label);
        // Spread inputs so that the kinks (±3, 0, 6) are rarely within ε of an element.
        var input = Tensor.RandomNormal(LayerSamples.Input(label), 21, std: label.StartsWith("Hardtanh", StringComparison.Ordinal) ? 4f : 2f);
        GradientAssert.Layer(layer, input);
    }

    [Theory]
    [InlineData("Add")]
    [InlineData("Mul")]
    public void Broadcast_merges_have_central_difference_gradients_for_both_inputs(string op)
    {
        // y = op(conv(x), pool(x)): [N, C, H, W] with [N, C, 1, 1], the squeeze-excitation shape.
        var graph = new Graph(
        [
            new GraphNode("conv", new Conv2d(3, 3, 1, random: new RandomSource(2)), ["input"]),
            new GraphNode("pool", new AdaptiveAvgPool2d(1), ["input"]),
            new GraphNode("join", op == "Add" ? new Add() : new Mul(), ["conv", "pool"]),
        ], "join");
        GradientAssert.Layer(graph, Tensor.RandomNormal(new Shape(2, 3, 4, 5), 3));
    }

    [Fact]
    public void A_graph_spelling_out_a_residual_block_computes_its_numbers_and_gradients()
    {
        var conv = new Conv2d(2, 2, 3, padding: 1, random: new RandomSource(4));
        var twin = new Conv2d(2, 2, 3, padding: 1, random: new RandomSource(4));
        var residual = new Residual(new Sequential(conv, new ReLU()));
        var graph = new Graph(
        [
            new GraphNode("conv", twin, ["input"]),
            new GraphNode("relu", new ReLU(), ["conv"]),
            new GraphNode("sum", new Add(), ["relu", "input"]),
        ], "sum");
        var x = Tensor.RandomNormal(new Shape(2, 2, 5, 5), 8);
        var g = Tensor.RandomNormal(new Shape(2, 2, 5, 5), 9);
        TensorAssert.Identical(residual.Forward(x).Span, graph.Forward(x).Span, "forward");
        TensorAssert.Identical(residual.Backward(g).Span, graph.Backward(g).Span, "input gradient");
        TensorAssert.Identical(conv.Weight.Grad.Span, twin.Weight.Grad.Span, "weight gradient");
        Assert.Equal(["conv.weight", "conv.bias"], graph.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void Reading_a_value_three_times_sums_three_gradients()
    {
        // y = x + x·x: dy/dx = 1 + 2x.
        var graph = new Graph([new GraphNode("square", new Mul(), ["input", "input"]), new GraphNode("sum", new Add(), ["square", "input"])], "sum");
        var x = Tensor.FromArray([1f, -2f, 0.5f], 1, 3);
        Assert.Equal([2f, 2f, 0.75f], graph.Forward(x).Data);
        Assert.Equal([3f, -3f, 2f], graph.Backward(Tensor.FromArray([1f, 1f, 1f], 1, 3)).Data);
    }

    [Theory]
    [InlineData("forward", "Graph: node 'a' reads 'b', which is neither the input 'input' nor an earlier node")]
    [InlineData("unused", "Graph: node 'b' does not lead to the output 'a'")]
    [InlineData("name", "Graph: node 'a' needs a non-empty name without '.' that no earlier node nor the input 'input' has")]
    [InlineData("arity", "Graph: node 'a' (ReLU) reads [input, input]; a layer reads exactly one value")]
    [InlineData("output", "Graph: the output 'z' is neither the input nor a node")]
    public void Bad_graphs_are_refused_naming_the_node_and_the_values(string problem, string expected)
    {
        GraphNode[] nodes = problem switch
        {
            "forward" => [new("a", new ReLU(), ["b"]), new("b", new ReLU(), ["input"])],
            "unused" => [new("a", new ReLU(), ["input"]), new("b", new ReLU(), ["input"])],
            "name" => [new("a", new ReLU(), ["input"]), new("a", new ReLU(), ["a"])],
            "arity" => [new("a", new ReLU(), ["input", "input"])],
            _ => [new("a", new ReLU(), ["input"])],
        };
        var ex = Assert.Throws<ArgumentException>(() => new Graph(nodes, problem == "output" ? "z" : problem == "unused" ? "a" : nodes[^1].Name));
        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shapes_that_disagree_at_a_concat_name_the_node_and_both_values()
    {
        var graph = new Graph([new GraphNode("pool", new MaxPool2d(2), ["input"]), new GraphNode("cat", new Concat(), ["input", "pool"])], "cat");
        var ex = Assert.Throws<ArgumentException>(() => graph.OutputShape(new Shape(2, 3, 4, 4)));
        Assert.Contains("node 'cat' (Concat) refuses 'input' [2, 3, 4, 4], 'pool' [2, 3, 2, 2]", ex.Message, StringComparison.Ordinal);
    }
}
