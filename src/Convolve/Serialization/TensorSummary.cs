using Convolve.Tensors;

namespace Convolve.Serialization;

/// <summary>One tensor as listed by <see cref="CheckpointInspector"/>, without its data.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="DType">The element type.</param>
/// <param name="Shape">The dimensions, outermost first.</param>
/// <param name="DataBegin">First byte of its data, relative to the start of the data section.</param>
/// <param name="DataEnd">One past its last byte, relative to the start of the data section.</param>
public sealed record TensorSummary(string Name, TensorDType DType, Shape Shape, long DataBegin, long DataEnd)
{
    /// <summary>Number of bytes of data.</summary>
    public long ByteLength => DataEnd - DataBegin;
}
