using System.Buffers.Binary;
using System.IO.Compression;
using Convolve.Tensors;
using Convolve.Tests.DataPipeline;

namespace Convolve.Tests.Fuzzing;

/// <summary>
/// Seeded mutations of IDX files, raw or gzip: bit flips, byte overwrites, truncation at the
/// format's boundaries, header edits (element type, rank, sizes up to 2³²−1, inside the gzip
/// stream too), insertions and deletions, gzip damage (the deflate data, the CRC and length
/// trailer, the header flags and method, a cut stream, trailing garbage, a second member), and
/// conversion between raw and gzip. Each appends what it did to the log.
/// </summary>
internal sealed class IdxMutator(RandomSource random)
{
    private static readonly byte[] Types = [0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0x00, 0x07, 0x0A, 0x0F, 0xFF];
    private static readonly uint[] Sizes = [0, 1, 2, 3, 11, 13, 500_000, 65_536, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF];
    private static readonly byte[] Interesting = [0x00, 0x01, 0x03, 0x04, 0x05, 0x08, 0x0E, 0x1F, 0x7F, 0x80, 0x8B, 0xFF];

    public byte[] Mutate(byte[] file, List<string> log)
    {
        bool gzip = file.Length >= 2 && file[0] == 0x1F && file[1] == 0x8B;
        return random.NextInt(gzip ? 9 : 7) switch
        {
            0 => FlipBit(file, log),
            1 => Overwrite(file, log),
            2 => Truncate(file, log),
            3 => gzip ? Recompress(EditHeader(Decompress(file), log), log) : EditHeader(file, log),
            4 => Splice(file, log),
            5 => gzip ? Decompressed(file, log) : Recompress(file, log),
            6 => EditHeader(file, log),
            _ => DamageGzip(file, log),
        };
    }

    private byte[] FlipBit(byte[] file, List<string> log)
    {
        if (file.Length == 0)
        {
            return Splice(file, log);
        }
        int at = random.NextInt(file.Length), bit = random.NextInt(8);
        log.Add($"flip bit {bit} of byte {at}");
        byte[] result = (byte[])file.Clone();
        result[at] ^= (byte)(1 << bit);
        return result;
    }

    private byte[] Overwrite(byte[] file, List<string> log)
    {
        if (file.Length == 0)
        {
            return Splice(file, log);
        }
        int at = random.NextInt(Math.Min(file.Length, 24));
        byte value = Interesting[random.NextInt(Interesting.Length)];
        log.Add($"set byte {at} to 0x{value:X2}");
        byte[] result = (byte[])file.Clone();
        result[at] = value;
        return result;
    }

    private byte[] Truncate(byte[] file, List<string> log)
    {
        int rank = file.Length >= 4 ? file[3] : 0;
        long[] cuts = [0, 1, 2, 3, 4, 4 + 4L * rank - 1, 4 + 4L * rank, 4 + 4L * rank + 1, file.Length / 2, file.Length - 1, random.NextInt(Math.Max(1, file.Length))];
        int cut = (int)Math.Clamp(cuts[random.NextInt(cuts.Length)], 0, file.Length);
        log.Add($"truncate to {cut} of {file.Length} bytes");
        return file[..cut];
    }

    /// <summary>Edits the element type, the rank or one size of a raw IDX header.</summary>
    private byte[] EditHeader(byte[] content, List<string> log)
    {
        if (content.Length < 4)
        {
            return Splice(content, log);
        }
        byte[] result = (byte[])content.Clone();
        int rank = content[3];
        switch (random.NextInt(3))
        {
            case 0:
                result[2] = Types[random.NextInt(Types.Length)];
                log.Add($"element type 0x{result[2]:X2}");
                break;
            case 1:
                result[3] = (byte)(random.NextInt(4) == 0 ? 255 : random.NextInt(6));
                log.Add($"rank {result[3]}");
                break;
            default:
                int dimension = rank == 0 ? 0 : random.NextInt(rank);
                if (4 + 4 * dimension + 4 > result.Length)
                {
                    return Truncate(content, log);
                }
                uint size = Sizes[random.NextInt(Sizes.Length)];
                BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(4 + 4 * dimension), size);
                log.Add($"dimension {dimension} := {size}");
                break;
        }
        return result;
    }

    private byte[] Splice(byte[] file, List<string> log)
    {
        int at = random.NextInt(file.Length + 1);
        if (random.NextInt(2) == 0 && at < file.Length)
        {
            int count = 1 + random.NextInt(Math.Min(8, file.Length - at));
            log.Add($"delete {count} bytes at {at}");
            return [.. file[..at], .. file[(at + count)..]];
        }
        byte[] inserted = [.. Enumerable.Range(0, 1 + random.NextInt(8)).Select(_ => Interesting[random.NextInt(Interesting.Length)])];
        log.Add($"insert {inserted.Length} bytes at {at}");
        return [.. file[..at], .. inserted, .. file[at..]];
    }

    private byte[] DamageGzip(byte[] file, List<string> log)
    {
        byte[] result = (byte[])file.Clone();
        switch (random.NextInt(6))
        {
            case 0 when file.Length > 18:
                int at = 10 + random.NextInt(file.Length - 18);
                result[at] ^= (byte)(1 << random.NextInt(8));
                log.Add($"flip a bit of deflate byte {at}");
                return result;
            case 1 when file.Length > 8:
                int trailer = file.Length - 1 - random.NextInt(8);
                result[trailer] ^= 0x5A;
                log.Add($"damage trailer byte {trailer} ({(trailer >= file.Length - 4 ? "ISIZE" : "CRC32")})");
                return result;
            case 2 when file.Length > 3:
                result[3] |= (byte)(1 << random.NextInt(5));
                log.Add($"gzip flags 0x{result[3]:X2}");
                return result;
            case 3 when file.Length > 2:
                result[2] = (byte)random.NextInt(256);
                log.Add($"compression method {result[2]}");
                return result;
            case 4:
                byte[] member = IdxBytes.Gzip([.. Enumerable.Range(0, random.NextInt(9)).Select(i => (byte)i)]);
                log.Add($"append a gzip member of {member.Length} bytes");
                return [.. file, .. member];
            default:
                log.Add("append garbage after the stream");
                return [.. file, 0xDE, 0xAD, 0xBE, 0xEF];
        }
    }

    private static byte[] Recompress(byte[] content, List<string> log)
    {
        log.Add("gzip it");
        return IdxBytes.Gzip(content);
    }

    private static byte[] Decompressed(byte[] file, List<string> log)
    {
        log.Add("gunzip it");
        return Decompress(file);
    }

    /// <summary>What a gzip stream decompresses to, up to its first error.</summary>
    public static byte[] Decompress(byte[] file)
    {
        using var output = new MemoryStream();
        try
        {
            using var gzip = new GZipStream(new MemoryStream(file), CompressionMode.Decompress);
            gzip.CopyTo(output);
        }
        catch (InvalidDataException)
        {
            // keep what came before the damage
        }
        return output.ToArray();
    }
}
