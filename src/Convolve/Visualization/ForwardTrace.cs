using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Visualization;

/// <summary>
/// One evaluation-mode forward pass of a network, layer by layer, up to a chosen layer, keeping
/// each leaf layer's input and output and each max pooling's switches; then walks the same layers
/// back from the chosen one to the input with a rule per leaf layer. This is the skeleton shared by
/// the deconvnet, guided backpropagation, the plain gradient and the receptive field: they differ
/// only in what a layer does to the signal going back. Going back through a residual block sends
/// the signal down both branches and adds what they return (the transpose of the fan-out); a block
/// the pass stopped inside sends it only down the branch that reached the chosen layer.
/// </summary>
public sealed class ForwardTrace
{
    private readonly Dictionary<Layer, (Tensor Input, Tensor Output, IndexTensor? Switches)> leaves = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Layer> started = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Layer> stoppedInside = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<MergeLayer, Tensor[]> mergeInputs = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Graph, int> lastNode = new(ReferenceEqualityComparer.Instance);
    private readonly Layer? target;
    private bool stopped;

    private ForwardTrace(Layer model, Layer? target)
    {
        Model = model;
        this.target = target;
    }

    /// <summary>The network.</summary>
    public Layer Model { get; }

    /// <summary>The input the pass started from.</summary>
    public Tensor Input { get; private set; } = null!;

    /// <summary>The output of the chosen layer (of the whole model when none was chosen).</summary>
    public Tensor Output { get; private set; } = null!;

    /// <summary>
    /// Runs <paramref name="model"/> in evaluation mode (restored afterwards) on <paramref name="input"/>
    /// up to and including <paramref name="target"/> (the whole model when null).
    /// </summary>
    /// <exception cref="ArgumentException">The target is not a layer of the model, or a layer refuses the input.</exception>
    public static ForwardTrace Run(Layer model, Tensor input, Layer? target = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        var trace = new ForwardTrace(model, target);
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            trace.Input = input;
            trace.Output = trace.Forward(model, input);
        }
        finally
        {
            model.SetTraining(wasTraining);
        }
        if (target is not null && !trace.stopped)
        {
            throw new ArgumentException($"layer {target.Name} is not part of the model ({model.Name})", nameof(target));
        }
        return trace;
    }

    /// <summary>What a leaf layer received and returned in this pass, and a max pooling's switches (else null).</summary>
    public (Tensor Input, Tensor Output, IndexTensor? Switches) Of(Layer leaf) =>
        leaves.TryGetValue(leaf, out var record) ? record : throw new ArgumentException($"{leaf?.Name} did not run in this pass", nameof(leaf));

    /// <summary>What a merge layer of a graph received in this pass.</summary>
    public IReadOnlyList<Tensor> InputsOf(MergeLayer merge) =>
        mergeInputs.TryGetValue(merge, out Tensor[]? inputs) ? inputs : throw new ArgumentException($"{merge?.Name} did not run in this pass", nameof(merge));

    /// <summary>
    /// Walks back from the chosen layer's output to the input: <paramref name="leafStep"/> maps a
    /// signal at a leaf layer's output to its input; <paramref name="add"/> joins a residual block's
    /// branches and the signals of a graph value read by several nodes; <paramref name="mergeStep"/>
    /// maps a signal at a graph's merge layer (Concat, Add, Mul) to one signal per input (a graph
    /// with merge layers is refused without it).
    /// </summary>
    public T Reverse<T>(T signal, Func<Layer, T, T> leafStep, Func<T, T, T> add, Func<MergeLayer, T, IReadOnlyList<T>>? mergeStep = null)
    {
        ArgumentNullException.ThrowIfNull(leafStep);
        ArgumentNullException.ThrowIfNull(add);
        Func<MergeLayer, T, IReadOnlyList<T>> merge = mergeStep ?? ((layer, _) => throw new NotSupportedException($"going back through {layer.Name} in a graph is not supported here"));
        return Back(Model, signal, leafStep, add, merge);
    }

    private Tensor Forward(Layer layer, Tensor input)
    {
        started.Add(layer);
        Tensor output = layer switch
        {
            Sequential sequential => ForwardChain(sequential, input),
            Residual residual => ForwardBlock(residual, input),
            Graph graph => ForwardGraph(graph, input),
            _ => ForwardLeaf(layer, input),
        };
        if (stopped && !ReferenceEquals(layer, target))
        {
            stoppedInside.Add(layer);
        }
        stopped |= ReferenceEquals(layer, target);
        return output;
    }

    private Tensor ForwardChain(Sequential sequential, Tensor input)
    {
        Tensor x = input;
        for (int i = 0; i < sequential.Count && !stopped; i++)
        {
            x = Forward(sequential[i], x);
        }
        return x;
    }

    private Tensor ForwardBlock(Residual residual, Tensor input)
    {
        Tensor body = Forward(residual.Body, input);
        if (stopped)
        {
            return body;
        }
        Tensor shortcut = residual.Shortcut is null ? input : Forward(residual.Shortcut, input);
        if (stopped)
        {
            return shortcut;
        }
        var sum = new Tensor(body.Shape);
        for (int i = 0; i < sum.Size; i++)
        {
            sum.Data[i] = body.Data[i] + shortcut.Data[i];
        }
        return sum;
    }

    /// <summary>The graph's nodes in order, up to the chosen layer when it is one of them (or inside one).</summary>
    private Tensor ForwardGraph(Graph graph, Tensor input)
    {
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal) { [graph.Input] = input };
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            GraphNode node = graph.Nodes[i];
            Tensor[] read = [.. node.Inputs.Select(v => values[v])];
            if (node.Layer is MergeLayer merge)
            {
                started.Add(merge);
                values[node.Name] = merge.Forward(read);
                mergeInputs[merge] = read;
                leaves[merge] = (read[0], values[node.Name], null); // its output, for feature maps; InputsOf has all inputs
                stopped |= ReferenceEquals(merge, target);
            }
            else
            {
                values[node.Name] = Forward(node.Layer, read[0]);
            }
            lastNode[graph] = i;
            if (stopped)
            {
                return values[node.Name];
            }
        }
        return values[graph.Output];
    }

    private Tensor ForwardLeaf(Layer layer, Tensor input)
    {
        Tensor output = layer.Forward(input);
        // A pooling layer's switches are replaced by its next call, so they are kept here.
        IndexTensor? switches = layer is MaxPoolNd pool ? pool.Indices : null;
        leaves[layer] = (input, output, switches);
        return output;
    }

    private T Back<T>(Layer layer, T signal, Func<Layer, T, T> leafStep, Func<T, T, T> add, Func<MergeLayer, T, IReadOnlyList<T>> merge)
    {
        switch (layer)
        {
            case Sequential sequential:
                T x = signal;
                for (int i = sequential.Count - 1; i >= 0; i--)
                {
                    x = started.Contains(sequential[i]) ? Back(sequential[i], x, leafStep, add, merge) : x;
                }
                return x;
            case Residual residual when stoppedInside.Contains(layer):
                // Only the branch that reached the chosen layer carries the signal.
                return residual.Shortcut is not null && started.Contains(residual.Shortcut)
                    ? Back(residual.Shortcut, signal, leafStep, add, merge)
                    : Back(residual.Body, signal, leafStep, add, merge);
            case Residual residual:
                T body = Back(residual.Body, signal, leafStep, add, merge);
                return add(body, residual.Shortcut is null ? signal : Back(residual.Shortcut, signal, leafStep, add, merge));
            case Graph graph:
                return BackGraph(graph, signal, leafStep, add, merge);
            default:
                return leafStep(layer, signal);
        }
    }

    /// <summary>A graph's nodes in reverse from the last one that ran; a value read by several nodes gets the sum of their signals.</summary>
    private T BackGraph<T>(Graph graph, T signal, Func<Layer, T, T> leafStep, Func<T, T, T> add, Func<MergeLayer, T, IReadOnlyList<T>> merge)
    {
        int last = lastNode[graph];
        var signals = new Dictionary<string, T>(StringComparer.Ordinal) { [stoppedInside.Contains(graph) ? graph.Nodes[last].Name : graph.Output] = signal };
        for (int i = last; i >= 0; i--)
        {
            GraphNode node = graph.Nodes[i];
            if (!signals.Remove(node.Name, out T? s))
            {
                continue; // nothing from the chosen layer reaches this node
            }
            IReadOnlyList<T> parts = node.Layer is MergeLayer m ? merge(m, s) : [Back(node.Layer, s, leafStep, add, merge)];
            for (int k = 0; k < node.Inputs.Count; k++)
            {
                string value = node.Inputs[k];
                signals[value] = signals.TryGetValue(value, out T? held) ? add(held, parts[k]) : parts[k];
            }
        }
        return signals.TryGetValue(graph.Input, out T? result) ? result : throw new InvalidOperationException($"no signal from the chosen layer reaches the input of {graph.Name}");
    }
}
