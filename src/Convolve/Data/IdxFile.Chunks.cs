using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Convolve.Data;

/// <summary>The gzip half of <see cref="IdxFile"/>'s reading: data gathered in chunks before the array is allocated.</summary>
public static partial class IdxFile
{
    /// <summary>
    /// The promised data bytes of a gzip stream in chunks that start at 64 KiB and double up to
    /// <see cref="ChunkBytes"/>, so that what is allocated never exceeds twice what has arrived.
    /// </summary>
    private static List<byte[]> ReadChunks(Stream content, IdxHeader header, string name)
    {
        var chunks = new List<byte[]>();
        for (long done = 0; done < header.DataLength;)
        {
            long size = Math.Min(Math.Min(ChunkBytes, Math.Max(FirstChunkBytes, done)), header.DataLength - done);
            var chunk = new byte[size];
            int read = ReadFully(content, chunk, name, header.Length + done);
            if (read < chunk.Length)
            {
                throw new IdxFormatException(name, header.Length + done + read,
                    $"expected {header.DataLength} bytes of {IdxArray.Describe(header.ElementType)} data for shape {header.Shape} from byte {header.Length}, but the content ends here (truncated)");
            }
            chunks.Add(chunk);
            done += size;
        }
        return chunks;
    }

    private static IdxArray Assemble(List<byte[]> chunks, IdxHeader header)
    {
        var array = IdxArray.Allocate(header.ElementType, header.Shape);
        int elementSize = IdxArray.ElementSize(array.ElementType);
        ref byte first = ref MemoryMarshal.GetArrayDataReference(array.Data);
        long done = 0;
        foreach (byte[] chunk in chunks)
        {
            var target = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref first, (nint)done), chunk.Length);
            chunk.CopyTo(target);
            SwapBigEndian(target, elementSize);
            done += chunk.Length;
        }
        return array;
    }
}
