using Convolve.Data;
using Convolve.Tensors;

namespace Convolve.Tests.DataPipeline;

/// <summary>
/// The IDX reader's answers to files a user may really have: signed bytes, a gzip header that
/// promises more than the stream holds, a header read alone, and the fingerprint of a data set.
/// </summary>
public sealed class IdxHardeningTests : IDisposable
{
    private readonly IdxBytes files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Signed_byte_images_are_refused_not_read_as_unsigned()
    {
        string images = files.File("images", IdxBytes.Build(0x09, [1, 2, 2], [0xFF, 0x80, 1, 2]));
        string labels = files.File("labels", IdxBytes.Build(0x08, [1], [0]));
        var ex = Assert.Throws<IdxFormatException>(() => Dataset.FromIdx(images, labels));
        Assert.Contains("expected images of element type ubyte (0x08), float32 (0x0D) or float64 (0x0E) but found sbyte (0x09)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signed_byte_labels_are_read_as_signed()
    {
        string images = files.File("images", IdxBytes.Build(0x08, [2, 1, 1], [0, 0]));
        string labels = files.File("labels", IdxBytes.Build(0x09, [2], [3, 0xFF]));
        var ex = Assert.Throws<IdxFormatException>(() => Dataset.FromIdx(images, labels));
        Assert.Contains("label 1 is -1, outside the classes [0, 10)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_the_elements_as_another_type_fails_even_where_the_runtime_would_allow_the_cast()
    {
        var array = new IdxArray(new Shape(2), new sbyte[] { -1, 1 });
        Assert.Throws<InvalidOperationException>(() => array.GetData<byte>());
        Assert.Equal([(sbyte)-1, (sbyte)1], array.GetData<sbyte>());
    }

    [Fact]
    public void A_gzip_header_promising_more_images_than_the_stream_holds_costs_only_what_the_stream_holds()
    {
        // 500,000 images of 28×28 promised (392 MB), 1,000 present; the compressed file is small
        // enough for DEFLATE's 1032:1 bound to allow the promise, so only reading finds the truth.
        var random = new RandomSource(3);
        byte[] pixels = new byte[1000 * 28 * 28];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)random.NextInt(256);
        }
        string path = files.File("short.gz", IdxBytes.Gzip(IdxBytes.Build(0x08, [500_000, 28, 28], pixels)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<IdxFormatException>(() => IdxFile.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("but the content ends here (truncated)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(16 + pixels.Length, ex.Offset);
        Assert.True(allocated < 3L * pixels.Length + (1 << 20), $"{allocated:N0} bytes allocated for {pixels.Length:N0} bytes of data");
    }

    [Fact]
    public void An_honest_gzip_file_is_read_into_its_array_without_a_second_copy()
    {
        // The gzip trailer's length agrees with the header, so the array is allocated at once and
        // filled as the data decompresses: about one copy of the data, not chunks plus the array.
        byte[] pixels = RandomBytes(4000 * 28 * 28, seed: 5);
        string path = files.File("honest.gz", IdxBytes.Gzip(IdxBytes.Build(0x08, [4000, 28, 28], pixels)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var array = IdxFile.Read(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(pixels, array.GetData<byte>());
        Assert.True(allocated < (long)(1.25 * pixels.Length) + (1 << 20), $"{allocated:N0} bytes allocated for {pixels.Length:N0} bytes of data");
    }

    [Fact]
    public void A_gzip_file_in_two_members_is_read_through_the_chunks_and_gives_the_same_array()
    {
        // The trailer then holds the second member's length only, which disagrees with the header.
        byte[] pixels = RandomBytes(3000 * 28 * 28, seed: 6);
        byte[] content = IdxBytes.Build(0x08, [3000, 28, 28], pixels);
        int half = content.Length / 2;
        byte[] twoMembers = [.. IdxBytes.Gzip(content[..half]), .. IdxBytes.Gzip(content[half..])];
        string path = files.File("members.gz", twoMembers);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var array = IdxFile.Read(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(pixels, array.GetData<byte>());
        Assert.True(allocated > (long)(1.9 * pixels.Length), $"{allocated:N0} bytes allocated: the chunked path keeps the data twice before the array is filled");
    }

    private static byte[] RandomBytes(int count, ulong seed)
    {
        var random = new RandomSource(seed);
        byte[] bytes = new byte[count];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)random.NextInt(256);
        }
        return bytes;
    }

    [Fact]
    public void The_header_alone_gives_type_and_shape_of_raw_and_gzip_files()
    {
        byte[] content = IdxBytes.Build(0x0B, [3, 2], new byte[12]);
        Assert.Equal((IdxElementType.Int16, new Shape(3, 2)), IdxFile.ReadHeader(files.File("raw", content)));
        Assert.Equal((IdxElementType.Int16, new Shape(3, 2)), IdxFile.ReadHeader(files.File("gz", IdxBytes.Gzip(content))));
        var ex = Assert.Throws<IdxFormatException>(() => IdxFile.ReadHeader(files.File("bad", [0, 0, 0x08, 9])));
        Assert.Contains("expected rank 1 to 4 but found 9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fingerprint_changes_with_any_byte_of_any_file_and_says_which()
    {
        string folder = Path.Combine(files.Root, "set");
        Directory.CreateDirectory(folder);
        foreach (string stem in DatasetLocator.FileStems)
        {
            File.WriteAllBytes(Path.Combine(folder, stem), stem.Contains("images", StringComparison.Ordinal)
                ? IdxBytes.Build(0x08, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8])
                : IdxBytes.Build(0x08, [2], [0, 1]));
        }
        var set = DatasetLocator.TryFind(folder, DatasetSource.Explicit)!;
        var before = set.Fingerprint();
        Assert.Null(set.Fingerprint().DifferenceFrom(before));
        byte[] labels = File.ReadAllBytes(set.TestLabels);
        labels[^1] ^= 1;
        File.WriteAllBytes(set.TestLabels, labels);
        string? difference = set.Fingerprint().DifferenceFrom(before);
        Assert.NotNull(difference);
        Assert.StartsWith("t10k-labels-idx1-ubyte is 10 bytes with CRC-64 ", difference, StringComparison.Ordinal);
    }
}
