using System.Text;
using Convolve.Serialization;

namespace Convolve.Tests.Serialization;

/// <summary>Reader rules for the 8-byte length, the header's encoding and its JSON syntax: one crafted file each.</summary>
public class ReaderPrefixAndSyntaxTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(7)]
    public void A_file_shorter_than_the_length_prefix_is_refused(int length)
    {
        CraftedFile.Fails(new byte[length], 0, $"the file is {length} bytes long", "8-byte little-endian header length");
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    public void A_header_length_below_two_is_refused(ulong length)
    {
        CraftedFile.Fails(CraftedFile.Build("{}", headerLength: length), 0, $"the header length is {length}", "smallest header");
    }

    [Theory]
    [InlineData(100_000_001UL)]
    [InlineData(ulong.MaxValue)]
    [InlineData(1UL << 63)]
    public void A_header_length_above_100_MB_is_refused(ulong length)
    {
        CraftedFile.Fails(CraftedFile.Build("{}", headerLength: length), 0, $"the header length is {length} bytes, more than the limit of 100000000");
    }

    [Theory]
    [InlineData(3UL)]
    [InlineData(100_000_000UL)]
    public void A_header_length_past_the_end_of_the_file_is_refused(ulong length)
    {
        // The file has 2 header bytes and 1 data byte after the prefix.
        CraftedFile.Fails(CraftedFile.Build("{}", [0], headerLength: length == 3 ? 4 : length), 0,
            $"the header length is {(length == 3 ? 4 : length)} bytes but only 3 bytes follow");
    }

    [Theory]
    [InlineData(" {}", "0x20")]
    [InlineData("[{}]", "0x5B")]
    [InlineData("\uFEFF{}", "0xEF")]
    public void A_header_that_does_not_start_with_a_brace_is_refused(string header, string firstByte)
    {
        CraftedFile.Fails(CraftedFile.Build(header), 8, "must start with '{'", firstByte);
    }

    [Fact]
    public void A_header_that_is_not_UTF8_is_refused_at_the_bad_byte()
    {
        byte[] header = [.. "{\"a"u8, 0xFF, .. "\":1}"u8];
        CraftedFile.Fails(CraftedFile.Build(header), 8 + 3, "not valid UTF-8");
    }

    [Theory]
    [InlineData("{'a' 1}", "1}")]
    [InlineData("{\n'a' 1}", "1}")]
    [InlineData("{\n\n 'a':,}", ",}")]
    [InlineData("{'a':tru}", "}")]
    [InlineData("{'__metadata__':{'k':'v',}}", "}}")]
    public void Malformed_JSON_is_refused_at_the_offending_byte(string header, string offending)
    {
        header = header.Replace('\'', '"');
        var error = CraftedFile.Fails(CraftedFile.Build(header), CraftedFile.OffsetOf(header, offending), "not well-formed JSON");
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(error.InnerException);
    }

    [Fact]
    public void An_unterminated_header_is_refused()
    {
        CraftedFile.Fails(CraftedFile.Build("{\"" + CheckpointFormat.MetadataKey + "\":{"), 8 + 17, "not well-formed JSON");
    }

    [Fact]
    public void Content_after_the_header_object_is_refused()
    {
        string header = CraftedFile.HeaderWith("") + " x";
        CraftedFile.Fails(CraftedFile.Build(header), CraftedFile.OffsetOf(header, "x"), "not well-formed JSON");
        string twoObjects = CraftedFile.HeaderWith("") + "{}";
        CraftedFile.Fails(CraftedFile.Build(twoObjects), CraftedFile.OffsetOf(twoObjects, "{}"), "not well-formed JSON");
    }

    // The streaming parser checks each token against the format as it reads it, so nesting is
    // refused at the first level the format does not allow, long before the reader's depth limit.
    [Theory]
    [InlineData("'__metadata__':{'format':'convolve-checkpoint','format_version':'1','x':{'y':{'z':{}}}}", "{'y'", "metadata value 'x' must be a string but is an object")]
    [InlineData("'w':{'dtype':'F32','shape':[[[1]]],'data_offsets':[0,4]}", "[[1]]", "dimension 0 of the shape of tensor 'w' must be an integer in [0, 2147483647] but is an array")]
    [InlineData("'w':{'dtype':{'a':{'b':{}}},'shape':[1],'data_offsets':[0,4]}", "{'a'", "dtype of tensor 'w' must be one of")]
    public void Nesting_is_refused_at_the_first_level_the_format_does_not_allow(string entries, string at, string message)
    {
        string header = "{" + entries.Replace('\'', '"') + "}";
        CraftedFile.Fails(CraftedFile.Build(header, new byte[4]), CraftedFile.OffsetOf(header, at.Replace('\'', '"')), message.Replace('\'', '"'));
    }

    [Fact]
    public void Deep_nesting_far_beyond_the_limit_is_refused_at_its_first_bracket()
    {
        string header = "{\"a\":" + new string('[', 100_000) + new string(']', 100_000) + "}";
        CraftedFile.Fails(CraftedFile.Build(header), 8 + 5, "tensor \"a\" must be an object", "but is an array");
    }

    [Fact]
    public void A_lone_surrogate_escape_in_a_name_is_refused()
    {
        string header = CraftedFile.HeaderWith("\"\\ud800\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}");
        CraftedFile.Fails(CraftedFile.Build(header), CraftedFile.OffsetOf(header, "\"\\ud800\""), "not valid Unicode text");
    }

    [Fact]
    public void An_empty_object_is_well_formed_but_not_a_Convolve_checkpoint()
    {
        CraftedFile.Fails(CraftedFile.Build("{}"), null, "has no __metadata__", "\"format\": \"convolve-checkpoint\"");
    }

    [Fact]
    public void Header_padding_of_spaces_and_newlines_is_accepted_but_not_required()
    {
        string header = CraftedFile.HeaderWith("");
        Assert.Empty(CraftedFile.Load(CraftedFile.Build(header)).Tensors);
        Assert.Empty(CraftedFile.Load(CraftedFile.Build(header + "     \n  ")).Tensors);
        Assert.NotEqual(0, Encoding.UTF8.GetByteCount(header) % 8); // so the first load really was unpadded
    }
}
