using System.IO.Compression;

namespace Convolve.Tests.DataPipeline;

/// <summary>Hand-built IDX files for tests, written byte by byte from the format's definition.</summary>
internal sealed class IdxBytes : IDisposable
{
    public IdxBytes() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"convolve-idx-{Guid.NewGuid():N}");

    /// <summary>Magic (0, 0, type, rank), big-endian sizes, then the given data bytes.</summary>
    public static byte[] Build(byte type, uint[] dimensions, byte[] data)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)dimensions.Length };
        foreach (uint d in dimensions)
        {
            bytes.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        }
        bytes.AddRange(data);
        return [.. bytes];
    }

    public static byte[] Gzip(byte[] content)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }
        return memory.ToArray();
    }

    public string File(string name, byte[] content)
    {
        string path = Path.Combine(Root, name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
