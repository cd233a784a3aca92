namespace Convolve.Onnx;

/// <summary>
/// A well-formed ONNX model that Convolve cannot import: an operator it has no layer for, an
/// attribute or attribute value its layer cannot take, or a graph that is not a chain of layers
/// with residual additions. The message is one line naming the node, its operator and the problem,
/// e.g. <c>node 'Conv_3' (Conv): attribute auto_pad "SAME_LOWER" is not supported</c>. It is a
/// <see cref="FormatException"/>: the file's content is the problem, not the disk.
/// </summary>
public sealed class OnnxUnsupportedException : FormatException
{
    /// <summary>Creates the exception for node <paramref name="nodeName"/> running <paramref name="opType"/>.</summary>
    public OnnxUnsupportedException(string source, string nodeName, string opType, string problem, Exception? innerException = null)
        : base(OnnxText.OneLine($"{source}: node '{nodeName}' ({opType}): {problem}"), innerException)
    {
        NodeName = nodeName;
        OpType = opType;
    }

    /// <summary>Creates the exception for a problem of the model as a whole (its graph's inputs and outputs, its operator set).</summary>
    public OnnxUnsupportedException(string source, string problem)
        : base(OnnxText.OneLine($"{source}: {problem}"))
    {
        NodeName = "";
        OpType = "";
    }

    /// <summary>The node's name (its first output's name when the node has none); empty for a problem of the whole model.</summary>
    public string NodeName { get; }

    /// <summary>The node's operator, e.g. <c>Conv</c>; empty for a problem of the whole model.</summary>
    public string OpType { get; }
}
