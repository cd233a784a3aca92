using Convolve.Tensors;

namespace Convolve.Onnx;

/// <summary>
/// Collects the nodes and initializers of an exported graph while the layers are walked in order.
/// It tracks the current value (the output of the last node) and its shape, computed with the
/// layers' own <c>OutputShape</c> for a batch of two (the batch stays symbolic in the file).
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly List<OnnxNode> nodes = [];
    private readonly List<OnnxTensor> initializers = [];
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    /// <summary>Starts at the graph input <paramref name="input"/> of shape <paramref name="shape"/>.</summary>
    public OnnxGraphBuilder(string input, Shape shape)
    {
        (Current, CurrentShape) = (input, shape);
        names.Add(input);
    }

    /// <summary>The value the next node reads.</summary>
    public string Current { get; set; }

    /// <summary>The shape of <see cref="Current"/>, batch included.</summary>
    public Shape CurrentShape { get; set; }

    /// <summary>The nodes so far, in order.</summary>
    public IReadOnlyList<OnnxNode> Nodes => nodes;

    /// <summary>The initializers so far.</summary>
    public IReadOnlyList<OnnxTensor> Initializers => initializers;

    /// <summary>Adds a float32 initializer named <paramref name="name"/> (made unique if taken) and returns its name.</summary>
    public string AddInitializer(string name, ReadOnlySpan<int> dims, float[] values)
    {
        string unique = Unique(name);
        initializers.Add(OnnxTensor.FromFloats(unique, dims.ToArray().Select(d => (long)d).ToArray(), values));
        return unique;
    }

    /// <summary>Adds an int64 initializer and returns its name.</summary>
    public string AddInt64Initializer(string name, long[] values)
    {
        string unique = Unique(name);
        initializers.Add(OnnxTensor.FromInt64s(unique, [values.Length], values));
        return unique;
    }

    /// <summary>
    /// Adds a node reading <see cref="Current"/> and <paramref name="extraInputs"/>, makes its output
    /// current with shape <paramref name="outputShape"/>, and returns the output's name.
    /// </summary>
    public string Add(string name, string opType, string[] extraInputs, Shape outputShape, params OnnxAttribute[] attributes) =>
        AddWithInputs(name, opType, [Current, .. extraInputs], outputShape, attributes);

    /// <summary>Adds a node with exactly <paramref name="inputs"/> and makes its output current.</summary>
    public string AddWithInputs(string name, string opType, string[] inputs, Shape outputShape, params OnnxAttribute[] attributes)
    {
        string unique = Unique(name.Length == 0 ? opType : name);
        nodes.Add(new OnnxNode(unique, opType, "", inputs, [unique], attributes));
        (Current, CurrentShape) = (unique, outputShape);
        return unique;
    }

    /// <summary>
    /// Names the current value <paramref name="output"/> (a name no layer path takes): renames the
    /// output of the node that made it, or adds an Identity node when it is the graph input itself.
    /// </summary>
    public void NameOutput(string output)
    {
        int last = nodes.FindLastIndex(n => n.Outputs[0] == Current);
        if (last < 0)
        {
            AddWithInputs("output", "Identity", [Current], CurrentShape);
            last = nodes.Count - 1;
        }
        // The current value is the last node's output: nothing reads it yet.
        nodes[last] = nodes[last] with { Outputs = [output] };
        Current = output;
    }

    private string Unique(string name)
    {
        string unique = name;
        for (int i = 1; !names.Add(unique); i++)
        {
            unique = $"{name}_{i}";
        }
        return unique;
    }
}
