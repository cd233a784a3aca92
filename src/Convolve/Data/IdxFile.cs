using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Convolve.Data;

/// <summary>
/// Reads and writes IDX files (the MNIST format), raw or gzip-compressed. gzip is recognised by
/// its magic bytes 1F 8B, never by the file name. Every rule (magic, element type, rank 1–4,
/// sizes, total size, truncation, trailing bytes) is checked before the data array is allocated
/// where the file's length allows it, and a violation raises <see cref="IdxFormatException"/>.
/// A gzip file's decompressed length is only known for sure by decompressing it. When the gzip
/// trailer's length (ISIZE, the decompressed size modulo 2^32) agrees with the header's promise,
/// as it does in every honest single-member file, the array is allocated at once and filled as
/// it decompresses; otherwise the data is read in chunks first and the array is allocated once
/// it has arrived, so a header that promises more than the stream holds costs only what the
/// stream holds. (Chunks for every file doubled the transient memory of loading Fashion-MNIST's
/// 47 MB of training images, which showed in the peak resident set of a whole training run.)
/// </summary>
public static partial class IdxFile
{
    /// <summary>DEFLATE expands at most 1032-fold, which bounds what a gzip file can promise.</summary>
    private const long MaxGzipRatio = 1032;

    private const int ChunkBytes = 1 << 22;
    private const int FirstChunkBytes = 1 << 16;

    /// <summary>Reads the IDX file at <paramref name="path"/>.</summary>
    /// <exception cref="IdxFormatException">The file breaks the format.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Read(file, path);
    }

    /// <summary>
    /// The element type and shape of the IDX file at <paramref name="path"/>, from its header alone
    /// (the data is not read, so a truncated file is only found by <see cref="Read(string)"/>).
    /// </summary>
    /// <exception cref="IdxFormatException">The header breaks the format.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static (IdxElementType ElementType, Tensors.Shape Shape) ReadHeader(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
        bool gzip = file.ReadByte() == 0x1F && file.ReadByte() == 0x8B;
        file.Position = 0;
        using Stream content = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        var header = IdxHeader.Read(content, path);
        return (header.ElementType, header.Shape);
    }

    /// <summary>Reads an IDX file from a seekable stream, from its current position to its end.</summary>
    /// <param name="stream">The file's bytes, raw or gzip.</param>
    /// <param name="name">The name used in error messages.</param>
    /// <exception cref="IdxFormatException">The content breaks the format.</exception>
    public static IdxArray Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("the stream must be seekable: gzip is recognised by peeking at the first two bytes", nameof(stream));
        }
        long start = stream.Position, available = stream.Length - start;
        bool gzip = stream.ReadByte() == 0x1F && stream.ReadByte() == 0x8B;
        stream.Position = start;
        if (!gzip)
        {
            return ReadContent(stream, name, available, exactLength: true);
        }
        uint? trailerLength = GzipTrailerLength(stream, start, available);
        using var content = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
        return ReadContent(content, name, available * MaxGzipRatio, exactLength: false, trailerLength);
    }

    /// <summary>The ISIZE field of the gzip trailer (last 4 bytes, little-endian); the stream is left at <paramref name="start"/>.</summary>
    private static uint? GzipTrailerLength(Stream stream, long start, long available)
    {
        const int MinimumGzipLength = 18; // 10-byte header, an empty deflate block, 8-byte trailer
        if (available < MinimumGzipLength)
        {
            return null;
        }
        Span<byte> trailer = stackalloc byte[4];
        stream.Position = start + available - 4;
        int read = stream.ReadAtLeast(trailer, 4, throwOnEndOfStream: false);
        stream.Position = start;
        return read == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(trailer) : null;
    }

    private static IdxArray ReadContent(Stream content, string name, long maxLength, bool exactLength, uint? trailerLength = null)
    {
        var header = IdxHeader.Read(content, name);
        long end = header.Length + header.DataLength;
        string promise = $"the header promises {header.DataLength} bytes of {IdxArray.Describe(header.ElementType)} data for shape {header.Shape}, ending at byte {end}";
        if (end > maxLength)
        {
            throw new IdxFormatException(name, exactLength ? maxLength : header.Length, exactLength
                ? $"{promise}, but the file has only {maxLength} bytes (truncated)"
                : $"{promise}, more than this gzip file can hold ({maxLength} bytes decompressed at most)");
        }
        if (exactLength && end < maxLength)
        {
            throw new IdxFormatException(name, end, $"expected the file to end here, where {promise}, but it has {maxLength - end} trailing bytes");
        }
        if (exactLength)
        {
            var array = IdxArray.Allocate(header.ElementType, header.Shape);
            ReadData(content, array, name, header.Length);
            return array;
        }
        IdxArray? direct = null;
        List<byte[]>? chunks = null;
        if (trailerLength == (uint)end)
        {
            direct = IdxArray.Allocate(header.ElementType, header.Shape);
            ReadData(content, direct, name, header.Length);
        }
        else
        {
            chunks = ReadChunks(content, header, name);
        }
        long trailing = CountRemaining(content, name, end);
        if (trailing > 0)
        {
            throw new IdxFormatException(name, end, $"expected the decompressed content to end here, where {promise}, but it has {trailing} trailing bytes");
        }
        return direct ?? Assemble(chunks!, header);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadData(Stream content, IdxArray array, string name, long dataStart)
    {
        int elementSize = IdxArray.ElementSize(array.ElementType);
        long total = (long)array.Data.Length * elementSize;
        ref byte first = ref MemoryMarshal.GetArrayDataReference(array.Data);
        for (long done = 0; done < total; done += ChunkBytes)
        {
            var chunk = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref first, (nint)done), (int)Math.Min(ChunkBytes, total - done));
            int read = ReadFully(content, chunk, name, dataStart + done);
            if (read < chunk.Length)
            {
                throw new IdxFormatException(name, dataStart + done + read,
                    $"expected {total} bytes of {IdxArray.Describe(array.ElementType)} data for shape {array.Shape} from byte {dataStart}, but the content ends here (truncated)");
            }
            SwapBigEndian(chunk, elementSize);
        }
    }

    /// <summary>Reverses the byte order of each element in place (IDX is big-endian), a no-op on big-endian hosts.</summary>
    internal static void SwapBigEndian(Span<byte> bytes, int elementSize)
    {
        if (!BitConverter.IsLittleEndian)
        {
            return;
        }
        switch (elementSize)
        {
            case 2:
                var shorts = MemoryMarshal.Cast<byte, short>(bytes);
                BinaryPrimitives.ReverseEndianness(shorts, shorts);
                break;
            case 4:
                var ints = MemoryMarshal.Cast<byte, int>(bytes);
                BinaryPrimitives.ReverseEndianness(ints, ints);
                break;
            case 8:
                var longs = MemoryMarshal.Cast<byte, long>(bytes);
                BinaryPrimitives.ReverseEndianness(longs, longs);
                break;
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the content ends; a corrupt gzip stream becomes an <see cref="IdxFormatException"/>.</summary>
    internal static int ReadFully(Stream content, Span<byte> buffer, string name, long offset)
    {
        try
        {
            return content.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException ex)
        {
            throw new IdxFormatException(name, offset, $"the gzip stream is corrupt at or after this decompressed byte: {ex.Message}", ex);
        }
    }

    private static long CountRemaining(Stream content, string name, long offset)
    {
        Span<byte> scratch = stackalloc byte[4096];
        long count = 0;
        int read;
        while ((read = ReadFully(content, scratch, name, offset + count)) > 0)
        {
            count += read;
        }
        return count;
    }
}
