using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Onnx;

/// <summary>
/// Turns any ONNX graph of the supported operators into a <see cref="Graph"/>: the import used
/// when the model is not a chain with residual additions (branches joined by Concat or Mul, a
/// value read by several branches, Split). Nodes are read in the file's order, which ONNX requires
/// to be topological. Values whose inputs are all constant, and Shape of a value whose shape is
/// known, are folded to constants (<see cref="OnnxConstantFolding"/>), which is how PyTorch's
/// shape arithmetic (Shape, Gather, Div, Mul, Slice ends) reaches a Slice or Reshape. Identity,
/// Dropout and a Pad by zero are aliases; ShuffleNet's Reshape, Transpose, Reshape is a
/// <see cref="ChannelShuffle"/>; a MatMul's constant bias Add becomes the linear layer's bias.
/// Every refusal names the node, its operator and the values involved.
/// </summary>
internal sealed class OnnxGraphImport
{
    private readonly OnnxGraph graph;
    private readonly string source;
    private readonly long? fileBatch;
    private readonly long opset;
    private readonly Dictionary<string, OnnxTensor> constants;
    private readonly Dictionary<string, string> valueNames = new(StringComparer.Ordinal); // ONNX value → graph value
    private readonly Dictionary<string, Shape> shapes = new(StringComparer.Ordinal);      // graph value → shape (batch 2)
    private readonly Dictionary<string, int> producerIndex = new(StringComparer.Ordinal);  // ONNX value → index of the node that writes it
    private readonly Dictionary<string, List<int>> consumers = new(StringComparer.Ordinal);
    private readonly HashSet<int> absorbed = [];
    private readonly HashSet<string> transposedForGemm = new(StringComparer.Ordinal); // a Transpose's output that only a Gemm with transA 1 reads
    private readonly List<GraphNode> nodes = [];
    private readonly Dictionary<string, int> nodeOf = new(StringComparer.Ordinal); // graph value → index in nodes
    private readonly HashSet<string> taken = new(StringComparer.Ordinal) { "input" };

    /// <summary>Indexes <paramref name="graph"/>; <paramref name="fileBatch"/> is the graph input's fixed batch size, if it has one (PyTorch writes it into reshape targets).</summary>
    public OnnxGraphImport(OnnxGraph graph, string input, Shape inputShape, long? fileBatch, string source, long opset)
    {
        (this.graph, this.source, this.fileBatch, this.opset) = (graph, source, fileBatch, opset);
        constants = graph.Initializers.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        valueNames[input] = "input";
        shapes["input"] = inputShape;
        for (int i = 0; i < graph.Nodes.Length; i++)
        {
            foreach (string output in graph.Nodes[i].Outputs.Where(o => o.Length > 0))
            {
                producerIndex.TryAdd(output, i);
            }
            foreach (string value in graph.Nodes[i].Inputs.Where(v => v.Length > 0).Distinct())
            {
                (consumers.TryGetValue(value, out var list) ? list : consumers[value] = []).Add(i);
            }
        }
    }

    /// <summary>The graph computing <paramref name="output"/>.</summary>
    public Graph Build(string output)
    {
        for (int i = 0; i < graph.Nodes.Length; i++)
        {
            if (!absorbed.Contains(i))
            {
                Import(i);
            }
        }
        if (!valueNames.TryGetValue(output, out string? result))
        {
            throw new OnnxUnsupportedException(source, $"the graph output '{output}' is a constant or is not computed from the input");
        }
        try
        {
            return new Graph(Prune(result), result);
        }
        catch (ArgumentException ex)
        {
            throw new OnnxUnsupportedException(source, ex.Message);
        }
    }

    private void Import(int index)
    {
        OnnxNode node = graph.Nodes[index];
        foreach (string value in node.Inputs.Where(v => v.Length > 0 && !constants.ContainsKey(v) && !valueNames.ContainsKey(v)))
        {
            throw Error(node, producerIndex.TryGetValue(value, out int later) && later >= index
                ? $"its input '{value}' is computed by node '{OnnxNodeReader.DisplayName(graph.Nodes[later])}', which comes at or after it (a cycle, or nodes out of topological order)"
                : $"its input '{value}' is neither the graph input, an initializer nor the output of a node");
        }
        string[] outputs = [.. node.Outputs.Where(o => o.Length > 0)];
        if (outputs.Length == 0)
        {
            throw Error(node, "it has no output");
        }
        if (outputs.FirstOrDefault(o => valueNames.ContainsKey(o) || constants.ContainsKey(o)) is { } again)
        {
            throw Error(node, $"its output '{again}' is already defined");
        }
        if (node.OpType == "Constant" || OnnxConstantFolding.TryFold(node, constants, ShapeOf, Error))
        {
            if (node.OpType == "Constant")
            {
                constants[node.Outputs[0]] = node.Attributes.FirstOrDefault(a => a.Name == "value" && a.T is not null)?.T
                    ?? throw Error(node, "only a Constant with a tensor 'value' is supported");
            }
            return;
        }
        string[] data = [.. node.Inputs.Where(v => v.Length > 0 && !constants.ContainsKey(v))];
        if (data.Length == 0)
        {
            throw Error(node, "every input is a constant, but this operator is not one the import computes ahead (Shape, Gather, Unsqueeze, Squeeze, Concat, Cast, Add, Sub, Mul, Div, Slice, Identity on int64 or float constants)");
        }
        switch (node.OpType)
        {
            case "Identity" or "Dropout":
                if (node.OpType == "Dropout")
                {
                    OnnxNodeImport.Dropout(OnnxNodeImport.Reader(node, constants, source, opset), constants);
                }
                valueNames[node.Outputs[0]] = valueNames[data[0]];
                return;
            case "Add" or "Mul" when data.Length == 2:
                AddNode(node, node.OpType == "Add" ? new Layers.Add() : new Mul(), data);
                return;
            case "Add" when data.Length == 1 && FoldBias(node, data[0]):
                return;
            case "Add" or "Mul" when data.Length == 1:
                throw Error(node, node.OpType == "Add"
                    ? "it adds a constant to a value that no MatMul by a constant computed; only a linear layer's bias is imported that way"
                    : "it multiplies a computed value by a constant, which no layer here holds");
            case "Concat":
                ImportConcat(node, data);
                return;
            case "Split":
                ImportSplit(node, data[0]);
                return;
            case "Reshape" when TryShuffle(index, node, data[0]):
                return;
            case "Transpose" when TransposesForGemm(node, data[0]):
                valueNames[node.Outputs[0]] = valueNames[data[0]];
                transposedForGemm.Add(node.Outputs[0]);
                return;
        }
        if (data.Length != 1)
        {
            throw Error(node, $"it reads {data.Length} computed values ({string.Join(", ", data.Select(v => $"'{v}'"))}); only Add, Mul and Concat join values");
        }
        OnnxNodeReader reader = OnnxNodeImport.Reader(node, constants, source, opset);
        Shape input = shapes[valueNames[data[0]]];
        Layer? layer = node.OpType == "Reshape" ? Reshape(reader, input)
            : node.OpType == "Gemm" && transposedForGemm.Contains(data[0]) ? OnnxDenseImport.Gemm(reader, input, transposedInput: true)
            : Convert(node, reader, input);
        if (layer is null)
        {
            valueNames[node.Outputs[0]] = valueNames[data[0]];
            return;
        }
        AddNode(node, layer, data);
    }

    private Layer? Convert(OnnxNode node, OnnxNodeReader reader, Shape input)
    {
        try
        {
            return OnnxNodeImport.Convert(node, reader, input, constants);
        }
        catch (ArgumentException ex)
        {
            throw Error(node, $"the layer it becomes refuses its options: {ex.Message}", ex);
        }
    }

    /// <summary>A constant reshape that keeps the batch and flattens the rest (the file's batch size counts as the batch).</summary>
    private Flatten Reshape(OnnxNodeReader reader, Shape input)
    {
        long[] target = Target(reader);
        long rest = input.SizeFrom(1);
        bool flattens = target.Length == 2 && IsBatch(target[0]) && (target[1] == -1 || target[1] == rest);
        reader.Require(flattens, "shape", $"[{string.Join(", ", target)}]", $"only a reshape of {input} to [N, {rest}] (a flatten) or a channel shuffle is imported");
        return new Flatten();
    }

    /// <summary>Reshape to [N, g, C/g, rest], Transpose (0, 2, 1, ...), Reshape to [N, C, rest]: a channel shuffle, each read only by the next.</summary>
    private bool TryShuffle(int index, OnnxNode node, string data)
    {
        Shape input = shapes[valueNames[data]];
        if (node.Inputs.Length < 2 || !constants.TryGetValue(node.Inputs[1], out OnnxTensor? t) || t.DataType != OnnxFields.Int64 || input.Rank < 3)
        {
            return false;
        }
        long[] grouped = t.Int64s;
        int rank = input.Rank;
        bool splits = grouped.Length == rank + 1 && IsBatch(grouped[0]) && grouped[1] > 0 && grouped[1] * grouped[2] == input[1]
            && grouped[3..].SequenceEqual(input.Dimensions[2..].ToArray().Select(d => (long)d));
        if (!splits || Only(node.Outputs[0]) is not int transposeIndex || graph.Nodes[transposeIndex] is not { OpType: "Transpose" } transpose)
        {
            return false;
        }
        long[]? perm = transpose.Attributes.FirstOrDefault(a => a.Name == "perm")?.Ints;
        if (perm is null || !perm.SequenceEqual([0, 2, 1, .. Enumerable.Range(3, rank - 2).Select(i => (long)i)]) || Only(transpose.Outputs[0]) is not int mergeIndex)
        {
            return false;
        }
        OnnxNode merge = graph.Nodes[mergeIndex];
        if (merge.OpType != "Reshape" || merge.Inputs.Length < 2 || LookAhead(merge.Inputs[1]) is not { DataType: OnnxFields.Int64 } m)
        {
            return false;
        }
        long[] back = m.Int64s;
        bool merges = back.Length == rank && IsBatch(back[0]) && (back[1] == -1 || back[1] == input[1])
            && back[2..].SequenceEqual(input.Dimensions[2..].ToArray().Select(d => (long)d));
        if (!merges)
        {
            return false;
        }
        absorbed.Add(transposeIndex);
        absorbed.Add(mergeIndex);
        AddNode(node, new ChannelShuffle((int)grouped[1]), [data], merge.Outputs[0]);
        return true;
    }

    /// <summary>
    /// A Transpose (perm 1, 0) of a computed [N, K] value read only as input A of one Gemm with
    /// transA 1: the two together are a Gemm of the value itself, so the Transpose becomes no layer.
    /// </summary>
    private bool TransposesForGemm(OnnxNode node, string data)
    {
        long[]? perm = node.Attributes.FirstOrDefault(a => a.Name == "perm")?.Ints;
        if (shapes[valueNames[data]].Rank != 2 || node.Attributes.Any(a => a.Name != "perm") || (perm is not null && !perm.SequenceEqual([1L, 0L])))
        {
            return false;
        }
        return Only(node.Outputs[0]) is int at && graph.Nodes[at] is { OpType: "Gemm" } gemm && gemm.Inputs.Length > 0 && gemm.Inputs[0] == node.Outputs[0]
            && gemm.Inputs.Skip(1).All(v => v != node.Outputs[0])
            && gemm.Attributes.FirstOrDefault(a => a.Name == "transA" && a.Type == OnnxFields.AttributeInt) is { I: not 0 };
    }

    /// <summary>A constant by name, also when a Constant node later in the file (before its reader) defines it.</summary>
    private OnnxTensor? LookAhead(string name) =>
        constants.TryGetValue(name, out OnnxTensor? t) ? t
        : producerIndex.TryGetValue(name, out int at) && graph.Nodes[at].OpType == "Constant" ? graph.Nodes[at].Attributes.FirstOrDefault(a => a.Name == "value")?.T
        : null;

    /// <summary>The single node reading <paramref name="value"/>, when exactly one does and the value is not a graph output.</summary>
    private int? Only(string value) =>
        consumers.TryGetValue(value, out var list) && list.Count == 1 && graph.Outputs.All(o => o.Name != value) ? list[0] : null;

    private bool IsBatch(long size) => size is 0 or -1 || size == fileBatch;

    private long[] Target(OnnxNodeReader reader)
    {
        reader.Require(reader.Int("allowzero", 0) == 0, "allowzero", "1", "a zero size is not a flatten");
        string name = reader.Inputs.Count > 1 ? reader.Inputs[1] : "";
        return constants.TryGetValue(name, out OnnxTensor? shape) && shape.DataType == OnnxFields.Int64 && shape.Dims.Length == 1
            ? shape.Int64s
            : throw reader.Error($"the target shape '{name}' is not a constant int64 vector (nor computed from known shapes)");
    }

    private void ImportConcat(OnnxNode node, string[] data)
    {
        var reader = new OnnxNodeReader(node, constants, source, opset, "axis");
        if (data.Length != node.Inputs.Count(v => v.Length > 0))
        {
            throw Error(node, "it joins a constant to computed values; only computed values are joined");
        }
        Shape first = shapes[valueNames[data[0]]];
        long axis = reader.Int("axis", 1);
        axis = axis < 0 ? axis + first.Rank : axis;
        reader.Require(axis >= 1 && axis < first.Rank, "axis", reader.Int("axis", 1).ToString(), $"only a dimension after the batch of {first} is joined");
        AddNode(node, new Concat((int)axis), data);
    }

    /// <summary>Split along an axis after the batch, into the sizes of its 'split' input or attribute, or equal parts: one <see cref="Slice"/> per output.</summary>
    private void ImportSplit(OnnxNode node, string data)
    {
        var reader = new OnnxNodeReader(node, constants, source, opset, "axis", "split", "num_outputs");
        Shape input = shapes[valueNames[data]];
        long axis = reader.Int("axis", 0);
        axis = axis < 0 ? axis + input.Rank : axis;
        reader.Require(axis >= 1 && axis < input.Rank, "axis", reader.Int("axis", 0).ToString(), $"only a dimension after the batch of {input} is split");
        reader.RequireBefore(13, "split");
        int parts = node.Outputs.Length, size = input[(int)axis];
        long[]? given = node.Inputs.Length > 1 && node.Inputs[1].Length > 0
            ? (constants.TryGetValue(node.Inputs[1], out OnnxTensor? s) && s.DataType == OnnxFields.Int64 ? s.Int64s : throw Error(node, $"the split sizes '{node.Inputs[1]}' are not a constant int64 vector"))
            : node.Attributes.FirstOrDefault(a => a.Name == "split")?.Ints;
        // Without sizes the parts are equal; from operator set 18 the last one may be smaller when they do not divide.
        long[] sizes = given ?? [.. Enumerable.Range(0, parts).Select(i => (long)((size + parts - 1) / parts))];
        if (given is null && size % parts != 0 && opset < 18)
        {
            throw Error(node, $"without sizes it splits dimension {axis} of {input} ({size}) into {parts} equal parts, which do not divide it (a smaller last part exists from operator set 18; this model imports {opset})");
        }
        if (sizes.Length != parts || sizes.Any(v => v <= 0) || (given is not null && sizes.Sum() != size) || (given is null && (long)(size + parts - 1) / parts * (parts - 1) >= size))
        {
            throw Error(node, $"the sizes [{string.Join(", ", sizes)}] do not split dimension {axis} of {input} ({size}) into {parts} outputs");
        }
        int start = 0;
        for (int i = 0; i < parts; i++)
        {
            int end = (int)Math.Min(size, start + sizes[i]);
            AddNode(node, new Slice((int)axis, start, end), [data], node.Outputs[i], parts > 1 ? $"_{i}" : "");
            start = end;
        }
    }

    /// <summary>An Add of a constant to a linear layer's output made from a MatMul without bias, read by nothing else: the layer's bias.</summary>
    private bool FoldBias(OnnxNode add, string data)
    {
        string value = valueNames[data];
        if (!nodeOf.TryGetValue(value, out int at) || nodes[at].Layer is not Linear { Bias: null } linear || consumers[data].Count != 1)
        {
            return false;
        }
        var reader = new OnnxNodeReader(add, constants, source, opset);
        float[] bias = reader.Values(reader.Constant(Array.FindIndex(add.Inputs, constants.ContainsKey), "bias")!, "bias", [linear.OutFeatures]);
        var biased = new Linear(linear.InFeatures, linear.OutFeatures, bias: true, new RandomSource(0));
        linear.Weight.Value.Data.CopyTo(biased.Weight.Value.Data, 0);
        bias.CopyTo(biased.Bias!.Value.Data, 0);
        nodes[at] = nodes[at] with { Layer = biased };
        valueNames[add.Outputs[0]] = value;
        return true;
    }

    private void AddNode(OnnxNode node, Layer layer, string[] data, string? output = null, string suffix = "")
    {
        string[] inputs = [.. data.Select(v => valueNames[v])];
        Shape shape;
        try
        {
            shape = layer is MergeLayer merge ? merge.OutputShape([.. inputs.Select(v => shapes[v])]) : layer.OutputShape(shapes[inputs[0]]);
        }
        catch (ArgumentException ex)
        {
            string read = string.Join(", ", data.Select((v, k) => $"'{v}' {shapes[inputs[k]]}"));
            throw Error(node, $"the {layer.Name} it becomes refuses {read}: {ex.Message}", ex);
        }
        string name = UniqueName(OnnxNodeReader.DisplayName(node) + suffix);
        nodeOf[name] = nodes.Count;
        nodes.Add(new GraphNode(name, layer, inputs));
        shapes[name] = shape;
        valueNames[output ?? node.Outputs[0]] = name;
    }

    /// <summary>PyTorch's node names (<c>/features/features.0/Conv</c>) without the leading '/' and with '.' (a parameter-name separator) as '_'.</summary>
    private string UniqueName(string onnxName)
    {
        string name = onnxName.TrimStart('/').Replace('.', '_');
        name = name.Length == 0 ? "node" : name;
        string unique = name;
        for (int i = 1; !taken.Add(unique); i++)
        {
            unique = $"{name}_{i}";
        }
        return unique;
    }

    /// <summary>The nodes that lead to <paramref name="output"/>; an ONNX file may compute values nothing reads.</summary>
    private List<GraphNode> Prune(string output)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal) { output };
        var kept = new List<GraphNode>();
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            if (needed.Contains(nodes[i].Name))
            {
                kept.Add(nodes[i]);
                needed.UnionWith(nodes[i].Inputs);
            }
        }
        kept.Reverse();
        return kept;
    }

    /// <summary>The shape of a computed value as the file sees it: the batch is the file's fixed batch size, or 0 (Reshape's "copy this size") when it is symbolic.</summary>
    private long[]? ShapeOf(string value) => valueNames.TryGetValue(value, out string? name)
        ? [.. shapes[name].ToArray().Select((d, i) => i == 0 ? fileBatch ?? 0 : d)]
        : null;

    private OnnxUnsupportedException Error(OnnxNode node, string problem, Exception? inner = null) =>
        new(source, OnnxNodeReader.DisplayName(node), node.OpType, problem, inner);

    private OnnxUnsupportedException Error(OnnxNode node, string problem) => Error(node, problem, null);
}
