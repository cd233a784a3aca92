using Convolve.Data;
using Convolve.Tensors;

namespace Convolve.Tests.DataPipeline;

/// <summary>IDX round trips for every element type and rank, raw and gzip, and hand-checked bytes.</summary>
public sealed class IdxFileTests : IDisposable
{
    private readonly IdxBytes files = new();

    public void Dispose() => files.Dispose();

    public static TheoryData<IdxElementType, int, bool> RoundTrips()
    {
        var data = new TheoryData<IdxElementType, int, bool>();
        foreach (var type in Enum.GetValues<IdxElementType>())
        {
            for (int rank = 1; rank <= 4; rank++)
            {
                data.Add(type, rank, false);
                data.Add(type, rank, true);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void Write_then_read_gives_back_type_shape_and_every_bit(IdxElementType type, int rank, bool gzip)
    {
        var shape = new Shape(new[] { 3, 5, 2, 7 }.AsSpan(0, rank));
        var random = new Random(rank * 31 + (int)type);
        var original = Sample(type, shape, random);
        string path = Path.Combine(files.Root, $"a-{type}-{rank}-{gzip}");
        IdxFile.Write(path, original, gzip);
        Assert.Equal(gzip, File.ReadAllBytes(path) is [0x1F, 0x8B, ..]);
        var read = IdxFile.Read(path);
        Assert.Equal(type, read.ElementType);
        Assert.Equal(shape, read.Shape);
        Assert.Equal(original.Data.GetType(), read.Data.GetType());
        Assert.Equal(original.Data.Cast<object>(), read.Data.Cast<object>());
    }

    private static IdxArray Sample(IdxElementType type, Shape shape, Random random)
    {
        int n = shape.Size;
        return type switch
        {
            IdxElementType.UnsignedByte => new IdxArray(shape, Enumerable.Range(0, n).Select(_ => (byte)random.Next(256)).ToArray()),
            IdxElementType.SignedByte => new IdxArray(shape, Enumerable.Range(0, n).Select(_ => (sbyte)random.Next(-128, 128)).ToArray()),
            IdxElementType.Int16 => new IdxArray(shape, Enumerable.Range(0, n).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1)).ToArray()),
            IdxElementType.Int32 => new IdxArray(shape, Enumerable.Range(0, n).Select(_ => random.Next(int.MinValue, int.MaxValue)).ToArray()),
            IdxElementType.Float32 => new IdxArray(shape, Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2e6 - 1e6)).ToArray()),
            _ => new IdxArray(shape, Enumerable.Range(0, n).Select(_ => random.NextDouble() * 1e-300 - 5e-301).ToArray()),
        };
    }

    [Fact]
    public void Written_bytes_are_big_endian_as_the_format_defines()
    {
        var array = new IdxArray(new Shape(2, 1), new short[] { 0x0102, -2 });
        using var memory = new MemoryStream();
        IdxFile.Write(memory, array);
        Assert.Equal([0, 0, 0x0B, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0x01, 0x02, 0xFF, 0xFE], memory.ToArray());
    }

    [Fact]
    public void Hand_built_float_and_int_files_read_as_defined()
    {
        // 1.5f is 0x3FC00000; -1.0 (float64) is 0xBFF0000000000000; 0x01020304 = 16909060.
        var floats = IdxFile.Read(files.File("f", IdxBytes.Build(0x0D, [1], [0x3F, 0xC0, 0, 0])));
        Assert.Equal([1.5f], floats.GetData<float>());
        var doubles = IdxFile.Read(files.File("d", IdxBytes.Build(0x0E, [1], [0xBF, 0xF0, 0, 0, 0, 0, 0, 0])));
        Assert.Equal([-1.0], doubles.GetData<double>());
        var ints = IdxFile.Read(files.File("i", IdxBytes.Build(0x0C, [1, 1, 1, 1], [1, 2, 3, 4])));
        Assert.Equal([16909060], ints.GetData<int>());
        Assert.Equal(new Shape(1, 1, 1, 1), ints.Shape);
        var signed = IdxFile.Read(files.File("s", IdxBytes.Build(0x09, [2], [0xFF, 0x7F])));
        Assert.Equal(new sbyte[] { -1, 127 }, signed.GetData<sbyte>());
    }

    [Fact]
    public void Gzip_is_recognised_by_its_magic_not_by_the_name()
    {
        byte[] content = IdxBytes.Build(0x08, [3], [7, 8, 9]);
        var rawNamedGz = IdxFile.Read(files.File("raw.gz", content));
        var gzipNamedRaw = IdxFile.Read(files.File("compressed-idx1-ubyte", IdxBytes.Gzip(content)));
        Assert.Equal(new byte[] { 7, 8, 9 }, rawNamedGz.GetData<byte>());
        Assert.Equal(new byte[] { 7, 8, 9 }, gzipNamedRaw.GetData<byte>());
    }

    [Fact]
    public void Zero_items_round_trip()
    {
        string path = Path.Combine(files.Root, "empty");
        IdxFile.Write(path, new IdxArray(new Shape(0, 28, 28), Array.Empty<byte>()), gzip: true);
        Assert.Equal(new Shape(0, 28, 28), IdxFile.Read(path).Shape);
    }

    [Fact]
    public void IdxArray_refuses_bad_rank_length_and_type_requests()
    {
        Assert.Contains("rank 1 to 4 but shape [] has rank 0", Assert.Throws<ArgumentException>(() => new IdxArray(new Shape(), new byte[1])).Message, StringComparison.Ordinal);
        Assert.Contains("rank 5", Assert.Throws<ArgumentException>(() => new IdxArray(new Shape(1, 1, 1, 1, 1), new byte[1])).Message, StringComparison.Ordinal);
        Assert.Contains("has 5 elements but shape [2, 3] needs 6", Assert.Throws<ArgumentException>(() => new IdxArray(new Shape(2, 3), new int[5])).Message, StringComparison.Ordinal);
        var ex = Assert.Throws<InvalidOperationException>(() => new IdxArray(new Shape(1), new float[1]).GetData<byte>());
        Assert.Contains("float32 (0x0D)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Byte[]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writing_over_an_existing_file_replaces_it_and_leaves_no_temporary()
    {
        string path = Path.Combine(files.Root, "over");
        IdxFile.Write(path, new IdxArray(new Shape(1), new byte[] { 1 }), gzip: false);
        IdxFile.Write(path, new IdxArray(new Shape(2), new byte[] { 2, 3 }), gzip: true);
        Assert.Equal(new byte[] { 2, 3 }, IdxFile.Read(path).GetData<byte>());
        Assert.Single(Directory.GetFiles(files.Root));
    }
}
