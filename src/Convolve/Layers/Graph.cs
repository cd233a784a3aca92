using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// A directed acyclic graph of layers over named values, for networks that are not a chain:
/// Inception's and SqueezeNet's branches joined by <see cref="Concat"/>, DenseNet's growing
/// concatenations, squeeze-excitation's <see cref="Mul"/>, ShuffleNet's split halves. The graph
/// reads one value, <see cref="Input"/>, and yields <see cref="Output"/>. Nodes are given in
/// topological order (each reads only the input and earlier nodes), which the constructor checks,
/// so a cycle or a dangling value cannot be built. Forward runs the nodes in order; backward runs
/// them in reverse, and where a value feeds several nodes its gradients are summed (in the fixed
/// reverse order, so the sum does not depend on anything else). Parameters are named by node:
/// <c>stem.weight</c>, <c>block1.body.0.weight</c>. Nodes that do not lead to the output are refused.
/// </summary>
public sealed class Graph : Layer
{
    private readonly GraphNode[] nodes;
    private readonly int[][] sources; // per node, the index of each value it reads: 0 is the graph input, i + 1 node i
    private readonly int outputIndex;
    private Tensor?[] values = [];
    private Tensor?[] grads = [];
    private bool[] ownsGrad = [];

    /// <summary>Builds the graph; every problem is an <see cref="ArgumentException"/> naming the node and the values.</summary>
    public Graph(IEnumerable<GraphNode> nodes, string output, string input = "input")
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentException.ThrowIfNullOrEmpty(output);
        ArgumentException.ThrowIfNullOrEmpty(input);
        this.nodes = [.. nodes];
        Input = input;
        Output = output;
        var index = new Dictionary<string, int>(StringComparer.Ordinal) { [input] = 0 };
        var layers = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
        sources = new int[this.nodes.Length][];
        for (int i = 0; i < this.nodes.Length; i++)
        {
            GraphNode node = this.nodes[i] ?? throw new ArgumentException($"Graph: node {i} is null", nameof(nodes));
            sources[i] = Sources(node, index, layers);
            index[node.Name] = i + 1;
        }
        outputIndex = index.TryGetValue(output, out int o) ? o : throw new ArgumentException($"Graph: the output '{output}' is neither the input nor a node", nameof(output));
        RequireAllReachOutput();
    }

    /// <summary>The name of the value the graph reads.</summary>
    public string Input { get; }

    /// <summary>The name of the value the graph yields.</summary>
    public string Output { get; }

    /// <summary>The nodes, in the order they run.</summary>
    public IReadOnlyList<GraphNode> Nodes => nodes;

    /// <summary>Each node's output shape for an input of <paramref name="inputShape"/>, in node order; refuses (naming the node and the shapes it reads) what a node does not accept.</summary>
    public Shape[] NodeShapes(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        var shapes = new Shape[nodes.Length + 1];
        shapes[0] = inputShape;
        for (int i = 0; i < nodes.Length; i++)
        {
            Shape[] read = [.. sources[i].Select(s => shapes[s])];
            try
            {
                shapes[i + 1] = nodes[i].Layer is MergeLayer merge ? merge.OutputShape(read) : nodes[i].Layer.OutputShape(read[0]);
            }
            catch (ArgumentException ex)
            {
                throw InputError($"node '{nodes[i].Name}' ({nodes[i].Layer.Name}) refuses {Describe(i, read)}: {ex.Message}");
            }
        }
        return shapes[1..];
    }

    /// <inheritdoc/>
    public override Shape OutputShape(Shape inputShape) => outputIndex == 0 ? inputShape : NodeShapes(inputShape)[outputIndex - 1];

    /// <summary>Runs every node in order.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (values.Length != nodes.Length + 1)
        {
            (values, grads, ownsGrad) = (new Tensor?[nodes.Length + 1], new Tensor?[nodes.Length + 1], new bool[nodes.Length + 1]);
        }
        values[0] = input;
        for (int i = 0; i < nodes.Length; i++)
        {
            Layer layer = nodes[i].Layer;
            long start = LayerTiming.Start();
            values[i + 1] = layer is MergeLayer merge
                ? merge.Forward([.. sources[i].Select(s => values[s]!)])
                : layer.Forward(values[sources[i][0]]!);
            LayerTiming.Stop(layer, false, start);
        }
        return values[outputIndex]!;
    }

    /// <summary>Runs every node's backward in reverse order, summing the gradients of values read more than once.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        if (values.Length == 0 || values[0] is null)
        {
            throw new InvalidOperationException($"{Name}.Backward needs a preceding Forward");
        }
        Array.Clear(grads);
        Array.Clear(ownsGrad);
        Accumulate(outputIndex, gradOutput);
        for (int i = nodes.Length - 1; i >= 0; i--)
        {
            Tensor? grad = grads[i + 1];
            if (grad is null)
            {
                continue; // the node does not lead to the output through a differentiable path
            }
            Layer layer = nodes[i].Layer;
            long start = LayerTiming.Start();
            IReadOnlyList<Tensor> inputGrads = layer is MergeLayer merge ? merge.BackwardAll(grad) : [layer.Backward(grad)];
            LayerTiming.Stop(layer, true, start);
            for (int k = 0; k < sources[i].Length; k++)
            {
                Accumulate(sources[i][k], inputGrads[k]);
            }
        }
        return grads[0] ?? new Tensor(values[0]!.Shape);
    }

    /// <summary>Sets this graph's mode and every node's.</summary>
    public override void SetTraining(bool training)
    {
        base.SetTraining(training);
        foreach (GraphNode node in nodes)
        {
            node.Layer.SetTraining(training);
        }
    }

    /// <summary>Sets buffer reuse for this graph and every node.</summary>
    public override void SetReuseBuffers(bool reuse)
    {
        base.SetReuseBuffers(reuse);
        foreach (GraphNode node in nodes)
        {
            node.Layer.SetReuseBuffers(reuse);
        }
    }

    /// <summary>Every node's parameters, prefixed by its name: <c>stem.weight</c>.</summary>
    public override IEnumerable<(string Name, Parameter Parameter)> NamedParameters() =>
        nodes.SelectMany(n => n.Layer.NamedParameters().Select(p => ($"{n.Name}.{p.Name}", p.Parameter)));

    /// <summary>Every node's buffers, prefixed like the parameters.</summary>
    public override IEnumerable<(string Name, Tensor Buffer)> NamedBuffers() =>
        nodes.SelectMany(n => n.Layer.NamedBuffers().Select(b => ($"{n.Name}.{b.Name}", b.Buffer)));

    /// <summary>Adds <paramref name="grad"/> into value <paramref name="value"/>'s gradient; a second contribution goes into a tensor of the graph's own, never into a layer's.</summary>
    private void Accumulate(int value, Tensor grad)
    {
        Tensor? held = grads[value];
        if (held is null)
        {
            grads[value] = grad;
            return;
        }
        if (!ownsGrad[value])
        {
            held = grads[value] = held.Clone();
            ownsGrad[value] = true;
        }
        float[] sum = held.Data, add = grad.Data;
        for (int i = 0; i < sum.Length; i++)
        {
            sum[i] += add[i];
        }
    }

    private int[] Sources(GraphNode node, Dictionary<string, int> index, HashSet<Layer> layers)
    {
        if (string.IsNullOrEmpty(node.Name) || node.Name.Contains('.', StringComparison.Ordinal) || index.ContainsKey(node.Name))
        {
            throw new ArgumentException($"Graph: node '{node.Name}' needs a non-empty name without '.' that no earlier node nor the input '{Input}' has", nameof(node));
        }
        ArgumentNullException.ThrowIfNull(node.Layer);
        ArgumentNullException.ThrowIfNull(node.Inputs);
        if (!layers.Add(node.Layer))
        {
            throw new ArgumentException($"Graph: node '{node.Name}' reuses the layer of an earlier node; one layer instance keeps one forward cache", nameof(node));
        }
        if (node.Inputs.Count == 0 || (node.Layer is not MergeLayer && node.Inputs.Count != 1))
        {
            throw new ArgumentException($"Graph: node '{node.Name}' ({node.Layer.Name}) reads [{string.Join(", ", node.Inputs)}]; a {(node.Layer is MergeLayer ? "merge layer reads at least one value" : "layer reads exactly one value")}", nameof(node));
        }
        return [.. node.Inputs.Select(v => index.TryGetValue(v, out int s) ? s
            : throw new ArgumentException($"Graph: node '{node.Name}' reads '{v}', which is neither the input '{Input}' nor an earlier node (nodes run in the order given, so a cycle or a dangling value cannot be built)", nameof(node)))];
    }

    private void RequireAllReachOutput()
    {
        var needed = new bool[nodes.Length + 1];
        needed[outputIndex] = true;
        for (int i = nodes.Length - 1; i >= 0; i--)
        {
            if (!needed[i + 1])
            {
                throw new ArgumentException($"Graph: node '{nodes[i].Name}' does not lead to the output '{Output}'", "nodes");
            }
            foreach (int s in sources[i])
            {
                needed[s] = true;
            }
        }
    }

    private string Describe(int node, Shape[] read) =>
        string.Join(", ", nodes[node].Inputs.Select((v, k) => $"'{v}' {read[k]}"));
}
