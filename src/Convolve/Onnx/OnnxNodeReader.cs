using Convolve.Tensors;

namespace Convolve.Onnx;

/// <summary>
/// One node's attributes and constant inputs, read with the checks every operator needs: each
/// attribute must be one the operator's import knows (others are refused by name), of the right
/// type; constant inputs must be float32 initializers of the expected rank; every problem is an
/// <see cref="OnnxUnsupportedException"/> naming the node.
/// </summary>
internal sealed class OnnxNodeReader
{
    private readonly OnnxNode node;
    private readonly IReadOnlyDictionary<string, OnnxTensor> initializers;
    private readonly string source;

    /// <summary>Checks that every attribute of <paramref name="node"/>, read under default operator set <paramref name="opset"/>, is among <paramref name="known"/>.</summary>
    public OnnxNodeReader(OnnxNode node, IReadOnlyDictionary<string, OnnxTensor> initializers, string source, long opset, params string[] known)
    {
        (this.node, this.initializers, this.source, Opset) = (node, initializers, source, opset);
        foreach (OnnxAttribute attribute in node.Attributes)
        {
            if (!known.Contains(attribute.Name))
            {
                throw Error($"attribute '{attribute.Name}' is not supported (this operator's import knows {(known.Length == 0 ? "no attributes" : string.Join(", ", known))})");
            }
        }
    }

    /// <summary>The model's version of the default operator set, which decides the version of this node's operator.</summary>
    public long Opset { get; }

    /// <summary>The node's output names (empty names are absent optional outputs).</summary>
    public IReadOnlyList<string> Outputs => node.Outputs;

    /// <summary>Whether the node carries attribute <paramref name="name"/>.</summary>
    public bool Has(string name) => node.Attributes.Any(a => a.Name == name);

    /// <summary>
    /// Refuses <paramref name="attributes"/> that the operator had only before operator set
    /// <paramref name="movedAt"/> (where they became inputs) when the model's operator set is that or later.
    /// </summary>
    public void RequireBefore(long movedAt, params string[] attributes)
    {
        if (Opset >= movedAt && attributes.FirstOrDefault(Has) is { } name)
        {
            throw Error($"attribute '{name}' belongs to {node.OpType} before operator set {movedAt} (an input from then on); this model imports operator set {Opset}");
        }
    }

    /// <summary>An INTS attribute as it is, or null when absent.</summary>
    public long[]? Longs(string name) => Find(name, OnnxFields.AttributeInts)?.Ints;

    /// <summary>The node's input names.</summary>
    public IReadOnlyList<string> Inputs => node.Inputs;

    /// <summary>The node's display name: its name, or its first output when it has none.</summary>
    public static string DisplayName(OnnxNode node) => node.Name.Length > 0 ? node.Name : node.Outputs.FirstOrDefault() ?? "";

    /// <summary>An error about this node.</summary>
    public OnnxUnsupportedException Error(string problem, Exception? inner = null) => new(source, DisplayName(node), node.OpType, problem, inner);

    /// <summary>An INT attribute, or <paramref name="fallback"/> when absent.</summary>
    public long Int(string name, long fallback) => Find(name, OnnxFields.AttributeInt) is { } a ? a.I : fallback;

    /// <summary>A FLOAT attribute, or <paramref name="fallback"/> when absent.</summary>
    public float Float(string name, float fallback) => Find(name, OnnxFields.AttributeFloat) is { } a ? a.F : fallback;

    /// <summary>A STRING attribute, or <paramref name="fallback"/> when absent.</summary>
    public string String(string name, string fallback) => Find(name, OnnxFields.AttributeString) is { } a ? a.S : fallback;

    /// <summary>An INTS attribute of <paramref name="count"/> values that fit in int, or <paramref name="fallback"/> when absent.</summary>
    public int[] Ints(string name, int count, int[] fallback)
    {
        if (Find(name, OnnxFields.AttributeInts) is not { } a)
        {
            return fallback;
        }
        long[] values = a.Ints ?? [];
        if (values.Length != count || values.Any(v => v is < int.MinValue or > int.MaxValue))
        {
            throw Error($"attribute '{name}' is [{string.Join(", ", values)}] but {count} values were expected");
        }
        return values.Select(v => (int)v).ToArray();
    }

    /// <summary>Refuses an attribute whose value differs from the one Convolve supports.</summary>
    public void Require(bool condition, string attribute, string value, string why)
    {
        if (!condition)
        {
            throw Error($"attribute {attribute} {value} is not supported: {why}");
        }
    }

    /// <summary>The float32 initializer given as input <paramref name="index"/>, or null when that optional input is absent.</summary>
    public OnnxTensor? Constant(int index, string role, bool optional = false)
    {
        string name = index < node.Inputs.Length ? node.Inputs[index] : "";
        if (name.Length == 0)
        {
            return optional ? null : throw Error($"the {role} (input {index}) is missing");
        }
        if (!initializers.TryGetValue(name, out OnnxTensor? tensor))
        {
            throw Error($"the {role} '{name}' (input {index}) is computed in the graph; Convolve imports it only as a constant initializer");
        }
        if (tensor.External || tensor.DataType != OnnxFields.Float)
        {
            throw Error($"the {role} '{name}' is {(tensor.External ? "stored in an external file" : $"of ONNX data type {tensor.DataType}")}; only float32 data inside the model is supported");
        }
        return tensor;
    }

    /// <summary>Whether input <paramref name="index"/> is present and a constant initializer.</summary>
    public bool IsConstant(int index) => index < node.Inputs.Length && initializers.ContainsKey(node.Inputs[index]);

    /// <summary>The int64 constant given as input <paramref name="index"/> (a folded shape, Slice's starts…).</summary>
    public long[] Int64Constant(int index, string role)
    {
        string name = index < node.Inputs.Length ? node.Inputs[index] : "";
        return initializers.TryGetValue(name, out OnnxTensor? tensor) && tensor.DataType == OnnxFields.Int64
            ? tensor.Int64s
            : throw Error($"the {role} '{name}' (input {index}) is not a constant int64 tensor");
    }

    /// <summary>The number of values of an INTS attribute, 0 when it is absent.</summary>
    public int IntsLength(string name) => Find(name, OnnxFields.AttributeInts)?.Ints?.Length ?? 0;

    /// <summary>A constant whose dimensions must be <paramref name="dims"/>.</summary>
    public float[] Values(OnnxTensor tensor, string role, ReadOnlySpan<int> dims)
    {
        if (!tensor.Dims.SequenceEqual(dims.ToArray().Select(d => (long)d)))
        {
            throw Error($"the {role} '{tensor.Name}' has shape [{string.Join(", ", tensor.Dims)}] but {Shape.Format(dims)} is needed");
        }
        return tensor.Floats;
    }

    private OnnxAttribute? Find(string name, int type)
    {
        OnnxAttribute? attribute = node.Attributes.LastOrDefault(a => a.Name == name);
        if (attribute is not null && attribute.Type != type)
        {
            throw Error($"attribute '{name}' has attribute type {attribute.Type} but type {type} was expected");
        }
        return attribute;
    }
}
