using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;
using Convolve.Visualization;

namespace Convolve.Tests.Visualization;

/// <summary>
/// Projections through a <see cref="Graph"/>: its nodes are layers one can choose, the gradient
/// projection is the graph's own input gradient, a projection from a node inside stops there, and
/// the deconvnet treats a squeeze-excitation gate as a constant.
/// </summary>
public class GraphProjectionTests
{
    /// <summary>conv → relu → (pool-branch Concat 1×1-branch) → gate (SE) → Mul → flatten → linear.</summary>
    private static Graph Net() => new(
    [
        new GraphNode("conv", new Conv2d(1, 3, 3, padding: 1, random: new RandomSource(1)), ["input"]),
        new GraphNode("relu", new ReLU(), ["conv"]),
        new GraphNode("side", new Conv2d(1, 3, 1, random: new RandomSource(2)), ["input"]),
        new GraphNode("joined", new Concat(), ["relu", "side"]),
        new GraphNode("squeeze", new AdaptiveAvgPool2d(1), ["joined"]),
        new GraphNode("gate", new Sigmoid(), ["squeeze"]),
        new GraphNode("scaled", new Mul(), ["joined", "gate"]),
        new GraphNode("pool", new MaxPool2d(2), ["scaled"]),
        new GraphNode("flat", new Flatten(), ["pool"]),
        new GraphNode("head", new Linear(6 * 3 * 3, 4, random: new RandomSource(3)), ["flat"]),
    ], "head");

    [Fact]
    public void Every_node_is_a_layer_to_choose_by_its_name()
    {
        Assert.Equal(["conv", "relu", "side", "joined", "squeeze", "gate", "scaled", "pool", "flat", "head"], NetworkLayers.Of(Net()).Select(l => l.Path));
    }

    [Fact]
    public void The_gradient_projection_through_concat_and_a_gate_is_the_graphs_input_gradient()
    {
        Graph model = Net();
        var image = Tensor.RandomNormal(new Shape(1, 1, 6, 6), 4);
        var signal = Tensor.RandomNormal(new Shape(1, 4), 5);
        Tensor projected = new Projector(ProjectionMethod.Gradient).Project(ForwardTrace.Run(model, image), signal);
        model.Train();
        model.Forward(image);
        Tensor expected = model.Backward(signal);
        TensorAssert.Close(expected.Data.Select(v => (double)v).ToArray(), projected.Data, 1e-5, 1e-6, "gradient projection");
    }

    [Fact]
    public void A_projection_from_inside_the_graph_starts_at_that_node()
    {
        Graph model = Net();
        var image = Tensor.RandomNormal(new Shape(1, 1, 6, 6), 6);
        ForwardTrace trace = ForwardTrace.Run(model, image, model.Nodes[3].Layer);
        Assert.Equal(new Shape(1, 6, 6, 6), trace.Output.Shape);
        var signal = Tensor.RandomNormal(trace.Output.Shape, 7);
        // Up to the Concat, the gradient is the side convolution's and the ReLU-gated main one's, each on its slice.
        Tensor projected = new Projector(ProjectionMethod.Gradient).Project(trace, signal);
        var reference = new Graph(model.Nodes.Take(4), "joined");
        reference.Train();
        reference.Forward(image);
        TensorAssert.Close(reference.Backward(signal).Data.Select(v => (double)v).ToArray(), projected.Data, 1e-5, 1e-6, "projection from the concat");
    }

    [Fact]
    public void The_deconvnet_sends_nothing_into_the_gate_branch()
    {
        // y = x · σ(mean x): the deconvnet keeps the gate σ(1) as a constant; the gradient adds σ'(1)·Σx/4 from the gate's branch.
        var graph = new Graph(
        [
            new GraphNode("squeeze", new AdaptiveAvgPool2d(1), ["input"]),
            new GraphNode("gate", new Sigmoid(), ["squeeze"]),
            new GraphNode("scaled", new Mul(), ["input", "gate"]),
        ], "scaled");
        var image = Tensor.FromArray([1f, 1f, 2f, 0f], 1, 1, 2, 2);
        var signal = Tensor.FromArray([1f, 1f, 1f, 1f], 1, 1, 2, 2);
        double gate = 1 / (1 + Math.Exp(-1)), slope = gate * (1 - gate);
        Tensor deconv = new Projector(ProjectionMethod.Deconvnet).Project(ForwardTrace.Run(graph, image), signal);
        Assert.All(deconv.Data, v => Assert.Equal(gate, v, 1e-6));
        Tensor gradient = new Projector(ProjectionMethod.Gradient).Project(ForwardTrace.Run(graph, image), signal);
        Assert.All(gradient.Data, v => Assert.Equal(gate + slope * 4 / 4, v, 1e-6));
    }
}
