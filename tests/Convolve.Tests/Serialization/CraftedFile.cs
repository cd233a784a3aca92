using System.Buffers.Binary;
using System.Text;
using Convolve.Serialization;

namespace Convolve.Tests.Serialization;

/// <summary>Hand-built checkpoint bytes for the reader's rule tests: prefix, header text, data.</summary>
internal static class CraftedFile
{
    public const string Name = "crafted.ckpt";

    /// <summary>The metadata entry every valid checkpoint carries.</summary>
    public const string Marker = "\"__metadata__\":{\"format\":\"convolve-checkpoint\",\"format_version\":\"1\"}";

    /// <summary>The 8-byte little-endian length (the real one unless overridden), the header, the data.</summary>
    public static byte[] Build(string header, byte[]? data = null, ulong? headerLength = null) =>
        Build(Encoding.UTF8.GetBytes(header), data, headerLength);

    public static byte[] Build(byte[] header, byte[]? data = null, ulong? headerLength = null)
    {
        data ??= [];
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, headerLength ?? (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    /// <summary>A header with the format marker followed by <paramref name="entries"/> (JSON members, may be empty).</summary>
    public static byte[] WithEntries(string entries, byte[]? data = null) =>
        Build(HeaderWith(entries), data);

    public static string HeaderWith(string entries) => "{" + Marker + (entries.Length > 0 ? "," + entries : "") + "}";

    /// <summary>The file offset at which <paramref name="fragment"/> first occurs in <paramref name="header"/>.</summary>
    public static long OffsetOf(string header, string fragment)
    {
        int index = header.IndexOf(fragment, StringComparison.Ordinal);
        Assert.True(index >= 0, $"fragment {fragment} not in header {header}");
        return 8 + Encoding.UTF8.GetByteCount(header.AsSpan(0, index));
    }

    public static Checkpoint Load(byte[] file) => CheckpointReader.Load(new MemoryStream(file), Name);

    /// <summary>Loads, requires a format error, and checks that the message names the file and offset.</summary>
    public static CheckpointFormatException Fails(byte[] file, long? offset, params string[] fragments)
    {
        var error = Assert.Throws<CheckpointFormatException>(() => Load(file));
        Assert.Equal(Name, error.FilePath);
        Assert.StartsWith(Name + ": ", error.Message, StringComparison.Ordinal);
        Assert.Equal(offset, error.Offset);
        if (offset is long at)
        {
            Assert.Contains($"at byte {at}: ", error.Message, StringComparison.Ordinal);
        }
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        }
        var inspection = CheckpointInspector.Inspect(new MemoryStream(file), Name);
        Assert.False(inspection.IsValid);
        Assert.Equal(error.Message, inspection.Problem);
        return error;
    }
}
