using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Inference;

/// <summary>
/// A <see cref="Graph"/> in a plan: its nodes cut into runs of single-input layers whose intermediate values nothing
/// else reads, each run compiled as a chain of plan steps (so a convolution takes in the BatchNorm and ReLU nodes
/// after it, and runs of convolutions stay blocked), and the merge nodes (Concat, Add, Mul) between them, run by their
/// own evaluation-mode forward pass. Runs and merges go in the graph's order, each reading the values it names.
/// </summary>
internal sealed class GraphStep : PlanStep
{
    private readonly Segment[] segments;
    private readonly Tensor?[] values;
    private readonly int outputValue;

    public GraphStep(Graph graph, Shape inputShape)
        : base(graph.Name, graph.OutputShape(inputShape))
    {
        IReadOnlyList<GraphNode> nodes = graph.Nodes;
        Shape[] shapes = [inputShape, .. graph.NodeShapes(inputShape)];
        var index = new Dictionary<string, int>(StringComparer.Ordinal) { [graph.Input] = 0 };
        for (int i = 0; i < nodes.Count; i++)
        {
            index[nodes[i].Name] = i + 1;
        }
        int[][] sources = [.. nodes.Select(node => node.Inputs.Select(name => index[name]).ToArray())];
        outputValue = index[graph.Output];
        var readers = new int[nodes.Count + 1];
        foreach (int source in sources.SelectMany(s => s))
        {
            readers[source]++;
        }
        readers[outputValue]++;
        var list = new List<Segment>();
        for (int i = 0; i < nodes.Count; i++)
        {
            if (nodes[i].Layer is MergeLayer merge)
            {
                list.Add(new Segment(sources[i], null, merge, i + 1, nodes[i].Name));
                continue;
            }
            int first = i;
            var layers = new List<Layer> { nodes[i].Layer };
            // Take in the next node while it is the only reader of this one's value and reads nothing else.
            while (i + 1 < nodes.Count && nodes[i + 1].Layer is not MergeLayer && readers[i + 1] == 1 && sources[i + 1] is [int only] && only == i + 1)
            {
                i++;
                layers.Add(nodes[i].Layer);
            }
            string names = first == i ? nodes[first].Name : $"{nodes[first].Name}…{nodes[i].Name}";
            list.Add(new Segment(sources[first], PlanCompiler.Compile(layers, shapes[sources[first][0]]), null, i + 1, names));
        }
        segments = [.. list];
        values = new Tensor?[nodes.Count + 1];
    }

    /// <summary>What each run and merge computes, for the plan's step list.</summary>
    public IEnumerable<string> Members => segments.SelectMany(segment => segment.Merge is MergeLayer merge
        ? [$"{segment.Names}: {merge.Name}"]
        : EvaluationPlan.Describe(segment.Steps!).Select(step => $"{segment.Names}: {step}"));

    /// <inheritdoc/>
    public override Tensor Run(Tensor input)
    {
        values[0] = input;
        foreach (Segment segment in segments)
        {
            values[segment.Value] = segment.Merge is MergeLayer merge
                ? merge.Forward([.. segment.Sources.Select(source => values[source]!)])
                : RunAll(segment.Steps!, values[segment.Sources[0]]!);
        }
        Tensor result = values[outputValue]!;
        Array.Clear(values);
        return result;
    }

    /// <summary>A run of single-input layers compiled to steps, or one merge node; the value it writes.</summary>
    private sealed record Segment(int[] Sources, PlanStep[]? Steps, MergeLayer? Merge, int Value, string Names);
}
