using System.Text;
using Convolve.Serialization;

namespace Convolve.Tests.Serialization;

/// <summary>Reader rules for data ranges, the format marker, I/O errors and all-or-nothing loading.</summary>
public class ReaderLayoutRuleTests
{
    private static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    [Fact]
    public void Data_in_any_order_with_zero_size_tensors_and_no_padding_loads_exactly()
    {
        // Header order, data order and name order all differ, as other safetensors writers allow.
        string entries = Entry("b", "I32", "[2]", 0, 8) + "," + Entry("empty", "F32", "[0,3]", 8, 8) + "," + Entry("a", "U8", "[3]", 8, 11);
        byte[] data = [0x01, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF, 7, 8, 9];
        var checkpoint = CraftedFile.Load(CraftedFile.WithEntries(entries, data));
        Assert.Equal(["a", "b", "empty"], checkpoint.Tensors.Select(t => t.Name));
        Assert.Equal(new byte[] { 7, 8, 9 }, checkpoint["a"].ToByteArray());
        Assert.Equal(new[] { 1, -2 }, checkpoint["b"].ToInt32Array());
        Assert.Equal([0, 3], checkpoint["empty"].Shape.ToArray());
        Assert.Equal("convolve-checkpoint", checkpoint.Metadata["format"]);
    }

    [Fact]
    public void A_gap_before_the_first_tensor_is_refused()
    {
        string header = CraftedFile.HeaderWith(Entry("w", "F32", "[1]", 4, 8));
        CraftedFile.Fails(CraftedFile.Build(header, new byte[8]), CraftedFile.OffsetOf(header, "\"w\""),
            "bytes [0, 4) of the data section belong to no tensor: tensor \"w\" starts at 4");
    }

    [Fact]
    public void A_gap_between_tensors_is_refused()
    {
        string header = CraftedFile.HeaderWith(Entry("a", "F32", "[1]", 0, 4) + "," + Entry("b", "F32", "[1]", 8, 12));
        CraftedFile.Fails(CraftedFile.Build(header, new byte[12]), CraftedFile.OffsetOf(header, "\"b\""), "bytes [4, 8) of the data section belong to no tensor");
    }

    [Theory]
    [InlineData(4, 12)]
    [InlineData(0, 8)]
    public void Overlapping_tensors_are_refused(long begin, long end)
    {
        string header = CraftedFile.HeaderWith(Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", begin, end));
        CraftedFile.Fails(CraftedFile.Build(header, new byte[12]), CraftedFile.OffsetOf(header, "\"b\""),
            $"tensor \"b\" data [{begin}, {end}) overlaps tensor \"a\" data [0, 8)");
    }

    [Fact]
    public void A_zero_size_tensor_inside_another_is_an_overlap()
    {
        string header = CraftedFile.HeaderWith(Entry("a", "F32", "[2]", 0, 8) + "," + Entry("z", "F32", "[0]", 4, 4));
        CraftedFile.Fails(CraftedFile.Build(header, new byte[8]), CraftedFile.OffsetOf(header, "\"z\""),
            "tensor \"z\" data [4, 4) overlaps tensor \"a\" data [0, 8)");
    }

    [Fact]
    public void A_range_past_the_end_of_the_file_is_refused()
    {
        string header = CraftedFile.HeaderWith(Entry("a", "F32", "[1]", 0, 4) + "," + Entry("b", "F32", "[2]", 4, 12));
        long dataStart = 8 + Encoding.UTF8.GetByteCount(header);
        CraftedFile.Fails(CraftedFile.Build(header, new byte[10]), CraftedFile.OffsetOf(header, "\"b\""),
            "tensor \"b\" has data_offsets [4, 12] but the data section holds only 10 bytes", $"(bytes {dataStart} to {dataStart + 10} of the file)", "truncated");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    public void Bytes_after_the_last_tensor_are_refused(int extra)
    {
        string header = CraftedFile.HeaderWith(Entry("a", "F32", "[1]", 0, 4));
        long dataStart = 8 + Encoding.UTF8.GetByteCount(header);
        CraftedFile.Fails(CraftedFile.Build(header, new byte[4 + extra]), dataStart + 4,
            $"the data section is {4 + extra} bytes but the tensors cover only [0, 4): {extra} bytes at the end belong to no tensor");
    }

    [Fact]
    public void Data_without_any_tensor_is_refused()
    {
        string header = CraftedFile.HeaderWith("");
        CraftedFile.Fails(CraftedFile.Build(header, [1, 2, 3]), 8 + Encoding.UTF8.GetByteCount(header), "3 bytes at the end belong to no tensor");
    }

    [Theory]
    [InlineData("{}", "the header has no __metadata__, so this is not a Convolve checkpoint")]
    [InlineData("{'__metadata__':{}}", "the metadata has no 'format', so this is not a Convolve checkpoint")]
    [InlineData("{'__metadata__':{'format':'pytorch'}}", "the metadata 'format' is 'pytorch' but a Convolve checkpoint has 'convolve-checkpoint'")]
    [InlineData("{'__metadata__':{'format':'convolve-checkpoint'}}", "the metadata has no 'format_version'")]
    [InlineData("{'__metadata__':{'format':'convolve-checkpoint','format_version':'2'}}", "format_version '2' is not supported: this Convolve reads version 1")]
    [InlineData("{'__metadata__':{'format':'convolve-checkpoint','format_version':'1.0'}}", "format_version '1.0' is not supported")]
    public void The_format_marker_and_version_are_required(string header, string message)
    {
        CraftedFile.Fails(CraftedFile.Build(header.Replace('\'', '"')), null, message.Replace('\'', '"'));
    }

    [Fact]
    public void A_missing_file_raises_the_usual_IO_exception_not_a_format_error()
    {
        using var folder = new TemporaryFolder();
        var error = Assert.Throws<FileNotFoundException>(() => CheckpointReader.Load(folder.File("absent.ckpt")));
        Assert.IsNotType<CheckpointFormatException>(error);
        Assert.Throws<DirectoryNotFoundException>(() => CheckpointReader.Load(Path.Combine(folder.Path, "no", "such.ckpt")));
    }

    [Fact]
    public void A_stream_is_read_from_its_position_and_offsets_count_from_there()
    {
        string header = CraftedFile.HeaderWith(Entry("a", "F32", "[1]", 0, 4));
        byte[] file = CraftedFile.Build(header, new byte[5]);
        var stream = new MemoryStream([0xAA, 0xBB, .. file]) { Position = 2 };
        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Load(stream, "s"));
        Assert.Equal(8 + Encoding.UTF8.GetByteCount(header) + 4, error.Offset);
        var good = new MemoryStream([0xAA, .. CraftedFile.Build(header, new byte[4])]) { Position = 1 };
        Assert.Equal("a", CheckpointReader.Load(good, "s").Tensors.Single().Name);
    }

    [Fact]
    public void A_stream_that_cannot_seek_is_refused_as_an_argument()
    {
        var error = Assert.Throws<ArgumentException>(() => CheckpointReader.Load(new FailingStream(Stream.Null, 0), "pipe"));
        Assert.Contains("readable and seekable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_a_real_file_names_its_path_in_the_error()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("bad.ckpt");
        File.WriteAllBytes(path, CraftedFile.Build("{}", headerLength: 1));
        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Load(path));
        Assert.Equal(path, error.FilePath);
        Assert.StartsWith($"{path}: at byte 0: the header length is 1", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(error);
    }
}
