using System.Buffers.Binary;
using Convolve.Tensors;

namespace Convolve.Data;

/// <summary>
/// The IDX header: two zero bytes, the element type, the rank, then one big-endian 32-bit size per
/// dimension. <see cref="Read"/> validates all of it, and the total size, before anything is allocated.
/// </summary>
internal readonly record struct IdxHeader(IdxElementType ElementType, Shape Shape)
{
    /// <summary>Bytes taken by the header: 4 + 4 per dimension.</summary>
    public int Length => 4 + 4 * Shape.Rank;

    /// <summary>Bytes of data the header promises.</summary>
    public long DataLength => (long)Shape.Size * IdxArray.ElementSize(ElementType);

    /// <summary>The header bytes as written to a file.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        bytes[2] = (byte)ElementType;
        bytes[3] = (byte)Shape.Rank;
        for (int i = 0; i < Shape.Rank; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), Shape[i]);
        }
        return bytes;
    }

    /// <summary>Reads and validates a header from the start of <paramref name="content"/>.</summary>
    /// <exception cref="IdxFormatException">Any rule is broken; the message names the file, offset and expectation.</exception>
    public static IdxHeader Read(Stream content, string name)
    {
        Span<byte> magic = stackalloc byte[4];
        int read = IdxFile.ReadFully(content, magic, name, 0);
        if (read < 4)
        {
            throw new IdxFormatException(name, read, $"expected a 4-byte IDX magic number (0, 0, element type, rank) but the file ends after {read} bytes");
        }
        for (int i = 0; i < 2; i++)
        {
            if (magic[i] != 0)
            {
                throw new IdxFormatException(name, i,
                    $"expected the IDX magic number to start with two zero bytes but found 0x{magic[0]:X2} 0x{magic[1]:X2}; this is not an IDX file");
            }
        }
        var elementType = (IdxElementType)magic[2];
        if (!Enum.IsDefined(elementType))
        {
            throw new IdxFormatException(name, 2,
                $"expected an element type 0x08 (ubyte), 0x09 (sbyte), 0x0B (int16), 0x0C (int32), 0x0D (float32) or 0x0E (float64) but found 0x{magic[2]:X2}");
        }
        int rank = magic[3];
        if (rank is < 1 or > IdxArray.MaxRank)
        {
            throw new IdxFormatException(name, 3,
                $"expected rank 1 to {IdxArray.MaxRank} but found {rank}: Convolve reads labels [N] and images [N, H, W] or [N, C, H, W]; "
                + "rank 0 has no item dimension and higher ranks have no image layout");
        }
        return new IdxHeader(elementType, ReadShape(content, name, rank, elementType));
    }

    private static Shape ReadShape(Stream content, string name, int rank, IdxElementType elementType)
    {
        Span<byte> sizes = stackalloc byte[4 * IdxArray.MaxRank];
        sizes = sizes[..(4 * rank)];
        int read = IdxFile.ReadFully(content, sizes, name, 4);
        if (read < sizes.Length)
        {
            throw new IdxFormatException(name, 4 + read,
                $"expected {rank} big-endian 32-bit dimension sizes in bytes 4 to {3 + 4 * rank} but the file ends at byte {4 + read}");
        }
        var dimensions = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(sizes[(4 * i)..]);
            if (size > int.MaxValue)
            {
                throw new IdxFormatException(name, 4 + 4 * i, $"dimension {i} is {size}, larger than the largest supported size {int.MaxValue}");
            }
            dimensions[i] = (int)size;
            count *= size; // both factors are at most 2^31, so this cannot overflow before the check below
            if (count > Array.MaxLength)
            {
                throw new IdxFormatException(name, 4 + 4 * i,
                    $"dimensions {Shape.Format(dimensions.AsSpan(0, i + 1))} already hold {count} {IdxArray.Describe(elementType)} elements, "
                    + $"more than the {Array.MaxLength} an array can hold");
            }
        }
        return new Shape(dimensions);
    }
}
