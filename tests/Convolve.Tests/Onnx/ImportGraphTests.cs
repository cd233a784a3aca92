using Convolve.Layers;
using Convolve.Onnx;
using Convolve.Tensors;

namespace Convolve.Tests.Onnx;

/// <summary>
/// Graphs that are not chains come in as a <see cref="Graph"/> that ONNX Runtime agrees with; bad
/// graphs (a cycle, a dangling value, shapes that disagree at a Concat or an Add, an unknown
/// operator) are one line naming the node and the values.
/// </summary>
public class ImportGraphTests
{
    [Fact]
    public void Branches_joined_by_concat_and_a_gate_by_mul_give_onnx_runtimes_values()
    {
        // x → a = Relu(x), b = Sigmoid(x); c = Concat(a, b); g = GlobalAveragePool(c) (no, of x): y = Mul(c, Concat(g(x), g(x))).
        OnnxNode[] nodes =
        [
            Node("a", "Relu", ["x"], ["a"]),
            Node("b", "Sigmoid", ["x"], ["b"]),
            Node("c", "Concat", ["a", "b"], ["c"], OnnxAttribute.Int("axis", 1)),
            Node("g", "GlobalAveragePool", ["c"], ["g"]),
            Node("s", "HardSigmoid", ["g"], ["s"], OnnxAttribute.Float("alpha", 1f / 6), OnnxAttribute.Float("beta", 0.5f)),
            Node("y", "Mul", ["c", "s"], ["y"]),
        ];
        byte[] file = File(nodes);
        var input = Tensor.RandomNormal(new Shape(2, 2, 4, 4), 5);
        OnnxImport imported = OnnxImporter.Read(file, "g.onnx");
        Assert.IsType<Graph>(imported.Model[0]);
        OnnxComparison.AssertClose(imported.Model.Forward(input), OnnxRuntimeRunner.Run(file, input), "concat and gate");
        byte[] again = OnnxExporter.Export(imported.Model, imported.ItemShape);
        OnnxComparison.AssertClose(OnnxRuntimeRunner.Run(again, input), OnnxRuntimeRunner.Run(file, input), "re-exported");
    }

    [Theory]
    [InlineData("cycle", "g.onnx: node 'a' (Relu): its input 'b' is computed by node 'b', which comes at or after it (a cycle, or nodes out of topological order)")]
    [InlineData("dangling", "g.onnx: node 'b' (Concat): its input 'q' is neither the graph input, an initializer nor the output of a node")]
    [InlineData("concat", "g.onnx: node 'b' (Concat): the Concat it becomes refuses 'x' [2, 2, 4, 4], 'p' [2, 2, 2, 2]: Concat: inputs [2, 2, 4, 4] and [2, 2, 2, 2] must agree in every dimension but 1")]
    [InlineData("add", "g.onnx: node 'b' (Add): the Add it becomes refuses 'x' [2, 2, 4, 4], 'p' [2, 2, 2, 2]: Add: inputs [2, 2, 4, 4] and [2, 2, 2, 2] do not broadcast: dimension 2 is 4 and 2")]
    [InlineData("unknown", "g.onnx: node 'b' (Erf): operator Erf is not supported")]
    public void A_bad_graph_is_one_line_naming_the_node_and_the_values(string problem, string expected)
    {
        OnnxNode pool = Node("p", "MaxPool", ["x"], ["p"], OnnxAttribute.IntList("kernel_shape", [2, 2]), OnnxAttribute.IntList("strides", [2, 2]));
        OnnxNode[] nodes = problem switch
        {
            "cycle" => [Node("a", "Relu", ["b"], ["a"]), Node("b", "Concat", ["x", "a"], ["b"], OnnxAttribute.Int("axis", 1))],
            "dangling" => [pool, Node("b", "Concat", ["x", "q"], ["b"], OnnxAttribute.Int("axis", 1))],
            "concat" => [pool, Node("b", "Concat", ["x", "p"], ["b"], OnnxAttribute.Int("axis", 1))],
            "add" => [pool, Node("b", "Add", ["x", "p"], ["b"])],
            _ => [pool, Node("b", "Erf", ["p"], ["b"])],
        };
        var ex = Assert.Throws<OnnxUnsupportedException>(() => OnnxImporter.Read(File(nodes, nodes[^1].Outputs[0]), "g.onnx"));
        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Split_and_a_shuffle_become_slices_and_a_channel_shuffle()
    {
        var shape = OnnxTensor.FromInt64s("grouped", [5], [2, 2, 2, 3, 3]);
        var back = OnnxTensor.FromInt64s("back", [4], [2, -1, 3, 3]);
        OnnxNode[] nodes =
        [
            Node("split", "Split", ["x"], ["l", "r"], OnnxAttribute.Int("axis", 1)),
            Node("act", "Relu", ["r"], ["rr"]),
            Node("cat", "Concat", ["l", "rr"], ["c"], OnnxAttribute.Int("axis", 1)),
            Node("reshape", "Reshape", ["c", "grouped"], ["g"]),
            Node("transpose", "Transpose", ["g"], ["t"], OnnxAttribute.IntList("perm", [0, 2, 1, 3, 4])),
            Node("merge", "Reshape", ["t", "back"], ["y"]),
        ];
        byte[] file = File(nodes, "y", [shape, back], channels: 4, size: 3);
        var input = Tensor.RandomNormal(new Shape(2, 4, 3, 3), 6);
        OnnxImport imported = OnnxImporter.Read(file, "s.onnx");
        Graph graph = Assert.IsType<Graph>(imported.Model[0]);
        Assert.Contains(graph.Nodes, n => n.Layer is ChannelShuffle { Groups: 2 });
        Assert.Equal(2, graph.Nodes.Count(n => n.Layer is Slice));
        OnnxComparison.AssertClose(imported.Model.Forward(input), OnnxRuntimeRunner.Run(file, input), "split and shuffle");
    }

    private static OnnxNode Node(string name, string op, string[] inputs, string[] outputs, params OnnxAttribute[] attributes) =>
        new(name, op, "", inputs, outputs, attributes);

    private static byte[] File(OnnxNode[] nodes, string output = "y", OnnxTensor[]? initializers = null, int channels = 2, int size = 4)
    {
        var graph = new OnnxGraph("g", nodes, initializers ?? [],
            [new OnnxValueInfo("x", OnnxFields.Float, [(2, ""), (channels, ""), (size, ""), (size, "")])],
            [new OnnxValueInfo(output, OnnxFields.Float, [])]);
        return OnnxEncoder.Encode(new OnnxModelProto(8, [("", 17)], "test", "", graph, []));
    }
}
