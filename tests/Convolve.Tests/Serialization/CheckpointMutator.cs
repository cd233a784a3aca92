using System.Buffers.Binary;
using Convolve.Tensors;

namespace Convolve.Tests.Serialization;

/// <summary>
/// Seeded mutations of checkpoint files: bit flips, byte overwrites, truncation at every kind of
/// boundary, header-length tampering, insertions, deletions, appends, and (through
/// <see cref="HeaderMutator"/>) JSON edits. Each mutation appends what it did to a log so a
/// failing case can be understood from the message alone.
/// </summary>
internal sealed class CheckpointMutator(RandomSource random)
{
    private static readonly byte[] InterestingBytes = [0x00, 0xFF, 0x7F, 0x80, (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)'"', (byte)',', (byte)':', (byte)'-', (byte)'9', (byte)' ', (byte)'\\', 0xC3, 0xED];

    private readonly HeaderMutator header = new(random);

    public byte[] Mutate(byte[] file, List<string> log)
    {
        int kind = random.NextInt(12);
        var parts = FuzzFile.TryParse(file);
        return kind switch
        {
            0 or 1 => FlipBit(file, log, headerBias: kind == 0),
            2 => OverwriteByte(file, log),
            3 => TruncateAtBoundary(file, parts, log),
            4 => TamperHeaderLength(file, parts, log),
            5 => Splice(file, log),
            6 when parts is not null => FlipBit(file, log, dataOnly: parts.HeaderLength + 8),
            _ when parts is not null => header.Mutate(parts, log),
            _ => FlipBit(file, log, headerBias: true),
        };
    }

    private byte[] FlipBit(byte[] file, List<string> log, bool headerBias = false, long dataOnly = -1)
    {
        if (file.Length == 0 || dataOnly >= file.Length)
        {
            return Append(file, log);
        }
        int limit = headerBias ? Math.Min(file.Length, 8 + 400) : file.Length;
        int start = dataOnly >= 0 ? (int)dataOnly : 0;
        int at = start + random.NextInt(Math.Max(1, limit - start));
        int bit = random.NextInt(8);
        log.Add($"flip bit {bit} of byte {at}");
        byte[] result = (byte[])file.Clone();
        result[at] ^= (byte)(1 << bit);
        return result;
    }

    private byte[] OverwriteByte(byte[] file, List<string> log)
    {
        if (file.Length == 0)
        {
            return Append(file, log);
        }
        int at = random.NextInt(Math.Min(file.Length, 8 + 400));
        byte value = random.NextInt(2) == 0 ? InterestingBytes[random.NextInt(InterestingBytes.Length)] : (byte)random.NextInt(256);
        log.Add($"set byte {at} to 0x{value:X2}");
        byte[] result = (byte[])file.Clone();
        result[at] = value;
        return result;
    }

    private byte[] TruncateAtBoundary(byte[] file, FuzzFile? parts, List<string> log)
    {
        var cuts = new List<long> { 0, 1, 7, 8, 9, file.Length - 1, random.NextInt(Math.Max(1, file.Length)) };
        if (parts is not null)
        {
            long dataStart = 8 + parts.HeaderLength;
            cuts.AddRange([dataStart - 1, dataStart, dataStart + 1, 8 + parts.HeaderLength / 2]);
            foreach (string name in parts.TensorNames())
            {
                if (parts.Header[name] is System.Text.Json.Nodes.JsonObject entry
                    && entry["data_offsets"] is System.Text.Json.Nodes.JsonArray { Count: 2 } offsets
                    && offsets[0] is { } begin && offsets[1] is { } end
                    && long.TryParse(begin.ToJsonString(), out long b) && long.TryParse(end.ToJsonString(), out long e))
                {
                    cuts.AddRange([dataStart + b, dataStart + b + 1, dataStart + e - 1]);
                }
            }
        }
        long cut = Math.Clamp(cuts[random.NextInt(cuts.Count)], 0, file.Length);
        log.Add($"truncate to {cut} of {file.Length} bytes");
        return file[..(int)cut];
    }

    private byte[] TamperHeaderLength(byte[] file, FuzzFile? parts, List<string> log)
    {
        if (file.Length < 8)
        {
            return Append(file, log);
        }
        ulong real = parts is null ? BinaryPrimitives.ReadUInt64LittleEndian(file) : (ulong)parts.HeaderLength;
        ulong fileRest = (ulong)file.Length - 8;
        ulong[] choices =
        [
            0, 1, 2, real - 1, real + 1, real - 8, real + 8, fileRest, fileRest + 1, 100_000_000, 100_000_001,
            1UL << 63, ulong.MaxValue, (ulong)random.NextInt(int.MaxValue), random.NextUInt64(), real ^ (1UL << random.NextInt(64)),
        ];
        ulong value = choices[random.NextInt(choices.Length)];
        log.Add($"header length {real} -> {value}");
        byte[] result = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(result, value);
        return result;
    }

    private byte[] Splice(byte[] file, List<string> log)
    {
        int at = random.NextInt(file.Length + 1);
        if (random.NextInt(3) == 0 && at < file.Length)
        {
            int count = 1 + random.NextInt(Math.Min(16, file.Length - at));
            log.Add($"delete {count} bytes at {at}");
            return [.. file[..at], .. file[(at + count)..]];
        }
        if (random.NextInt(2) == 0)
        {
            return Append(file, log);
        }
        byte[] inserted = RandomBytes(1 + random.NextInt(16));
        log.Add($"insert {inserted.Length} bytes at {at}");
        return [.. file[..at], .. inserted, .. file[at..]];
    }

    private byte[] Append(byte[] file, List<string> log)
    {
        byte[] extra = RandomBytes(1 + random.NextInt(9));
        log.Add($"append {extra.Length} bytes");
        return [.. file, .. extra];
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        for (int i = 0; i < count; i++)
        {
            bytes[i] = random.NextInt(2) == 0 ? InterestingBytes[random.NextInt(InterestingBytes.Length)] : (byte)random.NextInt(256);
        }
        return bytes;
    }
}
