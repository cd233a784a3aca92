using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Convolve.Data;
using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Serialization;

namespace Convolve.Distributed;

/// <summary>
/// Makes sure, before the first step, that every rank was started with the same run: each rank
/// describes its run as named items; rank 0's description is broadcast, each rank compares its own
/// with it, and the differences are gathered so that every rank fails with the same message. The
/// convolution algorithm (<see cref="ConvolutionAlgorithms.Default"/>) and the SIMD level are always
/// compared: both change the arithmetic, and so the shard gradients a rank computes.
/// </summary>
public static class ConfigurationCheck
{
    /// <summary>Bytes of each rank's report of its differences.</summary>
    private const int ReportBytes = 512;

    /// <summary>Values longer than this are compared and shown by their CRC-64.</summary>
    private const int LongestShownValue = 80;

    /// <summary>Compares <paramref name="items"/> (name, value) and the process-wide settings across the ranks.</summary>
    /// <exception cref="RankMismatchException">Some rank differs from rank 0; the message names each difference.</exception>
    public static void Require(ICommunicator communicator, IEnumerable<(string Name, string Value)> items)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(items);
        List<(string Name, string Value)> mine =
        [
            .. items.Select(i => (i.Name, Shown(i.Value))),
            ("convolution algorithm", ConvolutionAlgorithms.Default.ToString()),
            ("SIMD level", Simd.Level.ToString()),
        ];
        byte[] rootText = BroadcastFromRoot(communicator, Encoding.UTF8.GetBytes(string.Join('\n', mine.Select(i => $"{i.Name}\t{i.Value}"))));
        var root = Encoding.UTF8.GetString(rootText).Split('\n').Select(line => line.Split('\t')).ToDictionary(f => f[0], f => f.Length > 1 ? f[1] : "");
        string differences = string.Join(", ", mine
            .Where(i => !root.TryGetValue(i.Name, out string? value) || value != i.Value)
            .Select(i => $"{i.Name} {i.Value} (rank 0: {root.GetValueOrDefault(i.Name, "none")})"));
        var report = new byte[ReportBytes];
        Encoding.UTF8.GetBytes(Truncate(differences), report);
        var reports = new byte[ReportBytes * communicator.Size];
        communicator.Allgather(report, reports);
        var lines = Enumerable.Range(0, communicator.Size)
            .Select(r => (Rank: r, Text: Encoding.UTF8.GetString(reports, r * ReportBytes, ReportBytes).TrimEnd('\0')))
            .Where(r => r.Text.Length > 0)
            .Select(r => $"rank {r.Rank} has {r.Text}")
            .ToList();
        if (lines.Count > 0)
        {
            throw new RankMismatchException($"the ranks were not started alike: {string.Join("; ", lines)}");
        }
    }

    /// <summary>
    /// CRC-64 of a data set's shape, images (as normalised floats) and labels: two ranks that train on
    /// different data (or normalise it differently) get different fingerprints, short of a collision.
    /// </summary>
    public static string Fingerprint(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ulong state = Crc64.Update(Crc64.Initial, Encoding.UTF8.GetBytes(data.Images.Shape.ToString()));
        state = Crc64.Update(state, MemoryMarshal.AsBytes(data.Images.Span));
        state = Crc64.Update(state, MemoryMarshal.AsBytes(data.Labels.AsSpan()));
        return "crc64:" + Crc64.Format(Crc64.Finish(state));
    }

    private static byte[] BroadcastFromRoot(ICommunicator communicator, byte[] mine)
    {
        var length = new byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(length, mine.Length);
        communicator.Broadcast(length, 0);
        var text = communicator.Rank == 0 ? mine : new byte[BinaryPrimitives.ReadInt32LittleEndian(length)];
        communicator.Broadcast(text, 0);
        return text;
    }

    private static string Shown(string value) => value.Length <= LongestShownValue && !value.Contains('\n') && !value.Contains('\t')
        ? value
        : "crc64:" + Crc64.Format(Crc64.Compute(Encoding.UTF8.GetBytes(value)));

    private static string Truncate(string text)
    {
        if (Encoding.UTF8.GetByteCount(text) <= ReportBytes)
        {
            return text;
        }
        int keep = text.Length;
        while (Encoding.UTF8.GetByteCount(text.AsSpan(0, keep)) > ReportBytes - 3)
        {
            keep--;
        }
        return text[..keep] + "...";
    }
}
