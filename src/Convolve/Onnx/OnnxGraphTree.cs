using Convolve.Layers;
using Convolve.Models;
using Convolve.Tensors;

namespace Convolve.Onnx;

/// <summary>
/// Turns an ONNX graph into a layer tree: a chain of single-input nodes becomes a
/// <see cref="Sequential"/>, and an <c>Add</c> of two computed values becomes a
/// <see cref="Residual"/> whose branches start where the two values' chains meet (the fork).
/// Every value has a spine: the value it was computed from (an Add's fork), so the fork of two
/// values is found by walking up both spines, as a lowest common ancestor. The graph must be in
/// topological order (ONNX requires it) and every node must lie on the tree exactly once.
/// </summary>
internal sealed class OnnxGraphTree
{
    private readonly string source;
    private readonly long opset;
    private readonly Dictionary<string, OnnxTensor> initializers;
    private readonly Dictionary<string, OnnxNode> producer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string? Anchor, int Depth)> spine = new(StringComparer.Ordinal);
    private readonly HashSet<OnnxNode> used = new(ReferenceEqualityComparer.Instance);

    /// <summary>Indexes <paramref name="graph"/>, whose one computed input is <paramref name="input"/>.</summary>
    public OnnxGraphTree(OnnxGraph graph, string input, string source, long opset)
    {
        (this.source, this.opset) = (source, opset);
        initializers = graph.Initializers.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        spine[input] = (null, 0);
        foreach (OnnxNode node in graph.Nodes)
        {
            Index(node);
        }
        Nodes = graph.Nodes;
    }

    private IReadOnlyList<OnnxNode> Nodes { get; }

    /// <summary>The layers that compute <paramref name="output"/> from <paramref name="input"/> of Shape <paramref name="shape"/>; every node must be used.</summary>
    public Sequential Build(string input, Shape shape, string output)
    {
        Sequential model = Build(input, shape, output, 1).Layers;
        if (Nodes.FirstOrDefault(n => !used.Contains(n)) is { } unused)
        {
            throw Error(unused, $"it does not lie on the way from the input to the output '{output}' through single-input layers and residual additions");
        }
        return model;
    }

    private void Index(OnnxNode node)
    {
        if (node.OpType == "Constant" && node.Domain is "" or "ai.onnx")
        {
            used.Add(node);
            OnnxTensor value = node.Attributes.FirstOrDefault(a => a.Name == "value" && a.T is not null)?.T
                ?? throw Error(node, "only a Constant with a tensor 'value' is supported");
            initializers[node.Outputs.FirstOrDefault() ?? ""] = value;
            return;
        }
        if (node.OpType == "Identity" && node.Inputs.Length == 1 && initializers.TryGetValue(node.Inputs[0], out OnnxTensor? aliased) && node.Outputs.Length == 1)
        {
            // PyTorch writes one bias shared by two layers as an Identity of the first's initializer.
            used.Add(node);
            initializers[node.Outputs[0]] = aliased;
            return;
        }
        string[] data = node.Inputs.Where(i => i.Length > 0 && !initializers.ContainsKey(i)).ToArray();
        foreach (string value in data.Where(v => !spine.ContainsKey(v)))
        {
            throw Error(node, $"its input '{value}' is neither the graph input, an initializer nor the output of an earlier node");
        }
        string? anchor = node.OpType == "Add" && data.Length == 2 ? Fork(node, data[0], data[1])
            : data.Length == 1 ? data[0]
            : throw Error(node, $"it takes {data.Length} computed inputs; a layer takes one (an Add of two joins residual branches)");
        string[] outputs = node.Outputs.Where(o => o.Length > 0).ToArray();
        if (outputs.Length != 1 && !(node.OpType == "Dropout" && outputs.Length == 2))
        {
            throw Error(node, $"it has {outputs.Length} outputs; a layer has one");
        }
        if (producer.ContainsKey(outputs[0]) || spine.ContainsKey(outputs[0]))
        {
            throw Error(node, $"its output '{outputs[0]}' is already defined");
        }
        producer[outputs[0]] = node;
        spine[outputs[0]] = (anchor, spine[anchor].Depth + 1);
    }

    /// <summary>The last value both <paramref name="a"/> and <paramref name="b"/> are computed from.</summary>
    private string Fork(OnnxNode add, string a, string b)
    {
        string? x = a, y = b;
        while (x is not null && y is not null && x != y)
        {
            if (spine[x].Depth >= spine[y].Depth)
            {
                x = spine[x].Anchor;
            }
            else
            {
                y = spine[y].Anchor;
            }
        }
        return x is not null && x == y ? x : throw Error(add, $"its inputs '{a}' and '{b}' are not computed from one common value");
    }

    private (Sequential Layers, Shape Shape) Build(string from, Shape shape, string to, int level)
    {
        if (level > ModelArchitecture.MaxDepth)
        {
            throw new OnnxUnsupportedException(source, $"residual additions nest deeper than {ModelArchitecture.MaxDepth} levels");
        }
        var items = new List<OnnxNode[]>();
        for (string value = to; value != from;)
        {
            if (!producer.TryGetValue(value, out OnnxNode? node))
            {
                throw new OnnxUnsupportedException(source, $"the value '{to}' is not computed from '{from}'");
            }
            OnnxNode? matMul = BiasedMatMul(node);
            items.Add(matMul is null ? [node] : [matMul, node]);
            value = matMul is null ? spine[value].Anchor! : DataInput(matMul);
        }
        var layers = new Sequential();
        for (int i = items.Count - 1; i >= 0; i--)
        {
            Layer? layer = Convert(items[i], shape, level);
            if (layer is not null)
            {
                shape = OutputShape(items[i][^1], layer, shape);
                layers.Add(layer);
            }
        }
        return (layers, shape);
    }

    private Layer? Convert(OnnxNode[] item, Shape shape, int level)
    {
        OnnxNode node = item[^1];
        foreach (OnnxNode part in item)
        {
            if (!used.Add(part))
            {
                throw Error(part, "it is reached twice: its output feeds more than a layer chain and residual additions can");
            }
        }
        if (node.OpType == "Add" && item.Length == 1)
        {
            return Residual(node, shape, level);
        }
        try
        {
            if (item.Length == 2)
            {
                OnnxNodeReader add = new(node, initializers, source, opset);
                return OnnxDenseImport.MatMul(OnnxNodeImport.Reader(item[0], initializers, source, opset), shape, add, add.Constant(Array.FindIndex(node.Inputs, initializers.ContainsKey), "bias"));
            }
            return OnnxNodeImport.Convert(node, OnnxNodeImport.Reader(node, initializers, source, opset), shape, initializers);
        }
        catch (ArgumentException ex)
        {
            // A layer refusing the node's sizes (a zero kernel, padding over half a pooling window…).
            throw Error(node, $"the layer it becomes refuses its options: {ex.Message}", ex);
        }
    }

    private Residual Residual(OnnxNode add, Shape shape, int level)
    {
        string[] data = add.Inputs.Where(i => i.Length > 0 && !initializers.ContainsKey(i)).ToArray();
        if (data.Length != 2 || add.Attributes.Length > 0)
        {
            throw Error(add, "only an Add of two computed values (a residual block) or of a MatMul and a constant bias is supported");
        }
        string fork = spine[add.Outputs.First(o => o.Length > 0)].Anchor!;
        var (body, shortcut) = data[0] == fork ? (data[1], (string?)null) : data[1] == fork ? (data[0], null) : (data[0], data[1]);
        Sequential bodyLayers = Build(fork, shape, body, level + 1).Layers;
        Sequential? shortcutLayers = shortcut is null ? null : Build(fork, shape, shortcut, level + 1).Layers;
        return new Residual(bodyLayers, shortcutLayers);
    }

    /// <summary>The MatMul by a constant whose output <paramref name="add"/> adds a constant to (a linear layer's bias), if that is what it is.</summary>
    private OnnxNode? BiasedMatMul(OnnxNode add)
    {
        if (add.OpType != "Add" || add.Inputs.Length != 2 || add.Inputs.Count(initializers.ContainsKey) != 1)
        {
            return null;
        }
        string data = add.Inputs.Single(i => !initializers.ContainsKey(i));
        return producer.TryGetValue(data, out OnnxNode? matMul) && matMul.OpType == "MatMul" && matMul.Inputs.Length == 2 && initializers.ContainsKey(matMul.Inputs[1])
            ? matMul
            : throw Error(add, "it adds a constant to a value that no MatMul by a constant computed; only a linear layer's bias is imported that way");
    }

    private string DataInput(OnnxNode node) => node.Inputs.First(i => i.Length > 0 && !initializers.ContainsKey(i));

    private Shape OutputShape(OnnxNode node, Layer layer, Shape input)
    {
        try
        {
            return layer.OutputShape(input);
        }
        catch (ArgumentException ex)
        {
            throw Error(node, $"the layer it becomes refuses the input {input}: {ex.Message}", ex);
        }
    }

    private OnnxUnsupportedException Error(OnnxNode node, string problem, Exception? inner = null) =>
        new(source, OnnxNodeReader.DisplayName(node), node.OpType, problem, inner);
}
