using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Convolve.Data;

/// <summary>The writing half of <see cref="IdxFile"/>.</summary>
public static partial class IdxFile
{
    /// <summary>
    /// Writes <paramref name="array"/> to <paramref name="path"/>, gzip-compressed or raw. The file is
    /// written beside its destination and moved into place, so a failure leaves any old file intact.
    /// </summary>
    public static void Write(string path, IdxArray array, bool gzip)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(array);
        string temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                if (gzip)
                {
                    using var compressed = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true);
                    Write(compressed, array);
                }
                else
                {
                    Write(file, array);
                }
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Writes the raw (uncompressed) IDX bytes of <paramref name="array"/> to <paramref name="stream"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Write(Stream stream, IdxArray array)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        stream.Write(new IdxHeader(array.ElementType, array.Shape).ToBytes());
        int elementSize = IdxArray.ElementSize(array.ElementType);
        long total = (long)array.Data.Length * elementSize;
        var buffer = new byte[(int)Math.Min(ChunkBytes, total)];
        ref byte first = ref MemoryMarshal.GetArrayDataReference(array.Data);
        for (long done = 0; done < total; done += ChunkBytes)
        {
            var chunk = buffer.AsSpan(0, (int)Math.Min(ChunkBytes, total - done));
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref first, (nint)done), chunk.Length).CopyTo(chunk);
            SwapBigEndian(chunk, elementSize);
            stream.Write(chunk);
        }
    }
}
