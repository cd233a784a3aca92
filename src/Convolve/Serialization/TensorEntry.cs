using Convolve.Tensors;

namespace Convolve.Serialization;

/// <summary>
/// One tensor entry of a parsed header: data offsets are relative to the start of the data
/// section; <paramref name="HeaderOffset"/> is the file offset of the entry's name in the header.
/// </summary>
internal sealed record TensorEntry(string Name, TensorDType DType, Shape Shape, long Begin, long End, long HeaderOffset)
{
    public long ByteLength => End - Begin;
}
