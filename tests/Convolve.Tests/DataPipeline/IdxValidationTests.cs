using Convolve.Data;

namespace Convolve.Tests.DataPipeline;

/// <summary>Every IDX validation rule, with a crafted bad file; each message names the file and the offset.</summary>
public sealed class IdxValidationTests : IDisposable
{
    private readonly IdxBytes files = new();

    public void Dispose() => files.Dispose();

    public static TheoryData<string, byte[], long, string> BadFiles => new()
    {
        { "bad magic byte 0", [1, 0, 0x08, 1, 0, 0, 0, 0], 0, "two zero bytes but found 0x01 0x00" },
        { "bad magic byte 1", [0, 7, 0x08, 1, 0, 0, 0, 0], 1, "two zero bytes but found 0x00 0x07" },
        { "unknown type", [0, 0, 0x0A, 1, 0, 0, 0, 0], 2, "but found 0x0A" },
        { "rank 0", [0, 0, 0x08, 0], 3, "expected rank 1 to 4 but found 0" },
        { "rank 5", IdxBytes.Build(0x08, [1, 1, 1, 1, 1], [9]), 3, "expected rank 1 to 4 but found 5: Convolve reads labels [N] and images" },
        { "short magic", [0, 0], 2, "4-byte IDX magic number (0, 0, element type, rank) but the file ends after 2 bytes" },
        { "empty file", [], 0, "ends after 0 bytes" },
        { "short sizes", [0, 0, 0x08, 3, 0, 0, 0, 5, 0, 0], 10, "expected 3 big-endian 32-bit dimension sizes in bytes 4 to 15 but the file ends at byte 10" },
        { "size above int", IdxBytes.Build(0x08, [2, 0x80000000], []), 8, "dimension 1 is 2147483648, larger than the largest supported size 2147483647" },
        { "count overflow", IdxBytes.Build(0x0E, [65536, 65536, 65536, 65536], []), 8, "dimensions [65536, 65536] already hold 4294967296 float64 (0x0E) elements" },
        { "truncated data", IdxBytes.Build(0x0B, [2, 3], new byte[11]), 23, "promises 12 bytes of int16 (0x0B) data for shape [2, 3], ending at byte 24, but the file has only 23 bytes (truncated)" },
        { "trailing bytes", IdxBytes.Build(0x08, [4], new byte[7]), 12, "expected the file to end here, where the header promises 4 bytes of ubyte (0x08) data for shape [4], ending at byte 12, but it has 3 trailing bytes" },
        { "truncated gzip content", IdxBytes.Gzip(IdxBytes.Build(0x0C, [3], new byte[10])), 18, "expected 12 bytes of int32 (0x0C) data for shape [3] from byte 8, but the content ends here (truncated)" },
        { "trailing gzip content", IdxBytes.Gzip(IdxBytes.Build(0x08, [2], new byte[5])), 10, "expected the decompressed content to end here" },
        { "corrupt gzip", [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], 0, "the gzip stream is corrupt" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_file_is_refused_naming_file_offset_and_expectation(string name, byte[] content, long offset, string expected)
    {
        string path = files.File(name.Replace(' ', '-'), content);
        var ex = Assert.Throws<IdxFormatException>(() => IdxFile.Read(path));
        Assert.Equal(path, ex.FileName);
        Assert.Equal(offset, ex.Offset);
        Assert.StartsWith($"{path}: at byte {offset}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(ex);
    }

    [Fact]
    public void A_raw_file_promising_more_than_it_holds_fails_before_allocating()
    {
        // The header claims 60000 × 28 × 28 float64 values (376 MB) in a 24-byte file.
        string path = files.File("huge", IdxBytes.Build(0x0E, [60000, 28, 28], new byte[8]));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<IdxFormatException>(() => IdxFile.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("but the file has only 24 bytes", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes before refusing");
    }

    [Fact]
    public void A_gzip_file_promising_more_than_deflate_can_expand_to_fails_before_allocating()
    {
        byte[] compressed = IdxBytes.Gzip(IdxBytes.Build(0x0C, [500_000_000], new byte[64]));
        string path = files.File("huge.gz", compressed);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<IdxFormatException>(() => IdxFile.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(8, ex.Offset);
        Assert.Contains($"more than this gzip file can hold ({compressed.Length * 1032L} bytes decompressed at most)", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes before refusing");
    }

    [Fact]
    public void Overflowing_sizes_fail_before_allocating()
    {
        string path = files.File("overflow", IdxBytes.Build(0x08, [0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF], []));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<IdxFormatException>(() => IdxFile.Read(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Equal(4, ex.Offset);
        Assert.Contains("dimensions [2147483647] already hold 2147483647 ubyte (0x08) elements, more than the 2147483591 an array can hold", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gzip_file_cut_off_mid_stream_is_reported_as_truncated_or_corrupt()
    {
        var random = new Random(4);
        byte[] pixels = new byte[4000];
        random.NextBytes(pixels);
        byte[] compressed = IdxBytes.Gzip(IdxBytes.Build(0x08, [4000], pixels));
        string path = files.File("cut.gz", compressed[..(compressed.Length / 2)]);
        var ex = Assert.Throws<IdxFormatException>(() => IdxFile.Read(path));
        Assert.StartsWith($"{path}: at byte ", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Contains("truncated", StringComparison.Ordinal) || ex.Message.Contains("corrupt", StringComparison.Ordinal), ex.Message);
        Assert.InRange(ex.Offset, 8, 4008);
    }

    [Fact]
    public void Non_seekable_streams_are_refused_with_the_reason()
    {
        using var pipe = new NonSeekable();
        var ex = Assert.Throws<ArgumentException>(() => IdxFile.Read(pipe, "pipe"));
        Assert.Contains("seekable", ex.Message, StringComparison.Ordinal);
    }

    private sealed class NonSeekable : MemoryStream
    {
        public override bool CanSeek => false;
    }
}
