namespace Convolve.Tests.Serialization;

/// <summary>
/// Reader rules for tensor entries and metadata: one crafted file per rule. In the data below a
/// single quote stands for a double quote; <c>at</c> is the header text whose first occurrence
/// marks the expected error offset.
/// </summary>
public class ReaderEntryRuleTests
{
    private const string Valid = "'dtype':'F32','shape':[1],'data_offsets':[0,4]";

    [Theory]
    [InlineData("'w':[1,2]", "[1,2]", "tensor 'w' must be an object {'dtype', 'shape', 'data_offsets'} but is an array")]
    [InlineData("'w':'F32'", "'F32'", "tensor 'w' must be an object", "but is the string 'F32'")]
    [InlineData("'w':null", "null", "but is null")]
    [InlineData("'w':{'shape':[1],'data_offsets':[0,4]}", "'w'", "tensor 'w' has no 'dtype'")]
    [InlineData("'w':{'dtype':'F32','data_offsets':[0,4]}", "'w'", "tensor 'w' has no 'shape'")]
    [InlineData("'w':{'dtype':'F32','shape':[1]}", "'w'", "tensor 'w' has no 'data_offsets'")]
    [InlineData("'w':{" + Valid + ",'stride':[1]}", "'stride'", "tensor 'w' has unknown key 'stride'; expected only dtype, shape and data_offsets")]
    [InlineData("'w':{" + Valid + ",'dtype':'F32'}", "'dtype':'F32'}", "tensor 'w' has key 'dtype' twice")]
    [InlineData("'w':{'shape':[1]," + Valid + "}", "'shape':[1],'data", "tensor 'w' has key 'shape' twice")]
    [InlineData("'w':{" + Valid + ",'data_offsets':[0,4]}", "'data_offsets':[0,4]}", "tensor 'w' has key 'data_offsets' twice")]
    [InlineData("'':{" + Valid + "}", "'':", "a tensor has an empty name")]
    [InlineData("'w':{" + Valid + "},'w':{" + Valid + "}", "'w':{'dtype':'F32','shape':[1],'data_offsets':[0,4]}}", "two entries named 'w'")]
    public void Entry_structure(string entries, string at, params string[] message) => Check(entries, 4, at, message);

    [Theory]
    [InlineData("'BF16'", "dtype of tensor 'w' must be one of 'F32', 'F64', 'I32', 'I64', 'U8' but is the string 'BF16'")]
    [InlineData("'f32'", "but is the string 'f32'")]
    [InlineData("'0'", "but is the string '0'")]
    [InlineData("0", "but is the number 0")]
    [InlineData("null", "but is null")]
    [InlineData("['F32']", "but is an array")]
    public void Dtype_must_be_a_known_name(string dtype, string message) =>
        Check($"'w':{{'dtype':{dtype},'shape':[1],'data_offsets':[0,4]}}", 4, dtype, message);

    [Theory]
    [InlineData("'3'", "'3'", "shape of tensor 'w' must be an array of non-negative integers but is the string '3'")]
    [InlineData("{}", "{}", "shape of tensor 'w' must be an array", "but is an object")]
    [InlineData("[-1]", "-1", "dimension 0 of the shape of tensor 'w' must be an integer in [0, 2147483647] but is the number -1")]
    [InlineData("[1,1.5]", "1.5", "dimension 1 of the shape of tensor 'w' must be an integer", "the number 1.5")]
    [InlineData("[1e0]", "1e0", "but is the number 1e0")]
    [InlineData("[2147483648]", "2147483648", "but is the number 2147483648")]
    [InlineData("[99999999999999999999999999999]", "9999", "but is the number 99999999999999999999999999999")]
    [InlineData("['1']", "'1']", "but is the string '1'")]
    [InlineData("[true]", "true", "but is true")]
    public void Shape_must_be_an_array_of_non_negative_int_dimensions(string shape, string at, params string[] message) =>
        Check($"'w':{{'dtype':'F32','shape':{shape},'data_offsets':[0,4]}}", 4, at, message);

    [Theory]
    [InlineData("[0]", "[0]", "data_offsets of tensor 'w' must be an array [begin, end] of two non-negative integers but has 1 entries")]
    [InlineData("[]", "[]", "but has 0 entries")]
    [InlineData("[0,4,8]", "8]", "but has more than two entries")]
    [InlineData("{'begin':0}", "{'begin'", "must be an array [begin, end]", "but is an object")]
    [InlineData("[-4,0]", "-4", "begin of data_offsets of tensor 'w' must be an integer in [0, 9223372036854775807] but is the number -4")]
    [InlineData("[0,4.0]", "4.0", "end of data_offsets of tensor 'w' must be an integer")]
    [InlineData("[0,9223372036854775808]", "9223372036854775808", "but is the number 9223372036854775808")]
    [InlineData("[4,0]", "[4,0]", "data_offsets of tensor 'w' are [4, 0] but begin must not exceed end")]
    public void Data_offsets_must_be_an_ordered_pair_of_non_negative_integers(string offsets, string at, params string[] message) =>
        Check($"'w':{{'dtype':'F32','shape':[1],'data_offsets':{offsets}}}", 4, at, message);

    [Theory]
    [InlineData("'F32'", "[2]", "[0,4]", "tensor 'w' is F32 [2], which needs 2 × 4 = 8 bytes, but its data_offsets [0, 4] span 4")]
    [InlineData("'F64'", "[1]", "[0,4]", "tensor 'w' is F64 [1], which needs 1 × 8 = 8 bytes, but its data_offsets [0, 4] span 4")]
    [InlineData("'U8'", "[2,2]", "[0,4]", null)]
    [InlineData("'I64'", "[]", "[0,4]", "tensor 'w' is I64 [], which needs 1 × 8 = 8 bytes")]
    [InlineData("'I32'", "[0,5]", "[0,4]", "tensor 'w' is I32 [0, 5], which needs 0 × 4 = 0 bytes")]
    public void Shape_times_dtype_size_must_equal_the_byte_range(string dtype, string shape, string offsets, string? message)
    {
        string entries = $"'w':{{'dtype':{dtype},'shape':{shape},'data_offsets':{offsets}}}";
        if (message is null)
        {
            Assert.Equal([2, 2], CraftedFile.Load(CraftedFile.WithEntries(entries.Replace('\'', '"'), new byte[4]))["w"].Shape.ToArray());
            return;
        }
        Check(entries, 4, "'w'", message);
    }

    [Theory]
    [InlineData("[2147483647,2147483647,2147483647]", "tensor 'w' has shape [2147483647, 2147483647, 2147483647]: more than 2147483591 elements")]
    [InlineData("[2147483647,0]", "more than 2147483591 elements")]
    [InlineData("[65536,65536]", "tensor 'w' has shape [65536, 65536]: more than 2147483591 elements")]
    [InlineData("[300000000]", "tensor 'w' (F64 [300000000]) needs 2400000000 bytes, more than the 2147483591 one array holds")]
    public void Sizes_beyond_one_array_are_refused_without_overflow_or_allocation(string shape, string message) =>
        Check($"'w':{{'dtype':'F64','shape':{shape},'data_offsets':[0,2400000000]}}", 4, "'w'", message);

    [Fact]
    public void A_zero_sized_dimension_first_makes_any_later_dimension_an_empty_tensor()
    {
        var checkpoint = CraftedFile.Load(CraftedFile.WithEntries("\"w\":{\"dtype\":\"F64\",\"shape\":[0,2147483647],\"data_offsets\":[0,0]}"));
        Assert.Equal(0, checkpoint["w"].Shape.Size);
    }

    [Theory]
    [InlineData("{'__metadata__':'x'}", "'x'", "__metadata__ must be an object of string values but is the string 'x'")]
    [InlineData("{'__metadata__':[]}", "[]", "__metadata__ must be an object of string values but is an array")]
    [InlineData("{'__metadata__':{'format':'convolve-checkpoint','format_version':1}}", "1}", "metadata value 'format_version' must be a string but is the number 1")]
    [InlineData("{'__metadata__':{'format':'convolve-checkpoint','format_version':'1','epoch':null}}", "null", "metadata value 'epoch' must be a string but is null")]
    [InlineData("{'__metadata__':{'format':'convolve-checkpoint','format':'convolve-checkpoint','format_version':'1'}}", "'format':'convolve-checkpoint','format_version'", "__metadata__ has key 'format' twice")]
    [InlineData("{'__metadata__':{'format':'convolve-checkpoint','format_version':'1'},'__metadata__':{}}", "'__metadata__':{}", "two entries named '__metadata__'")]
    public void Metadata_must_be_one_map_of_unique_string_keys_to_string_values(string header, string at, string message)
    {
        header = header.Replace('\'', '"');
        CraftedFile.Fails(CraftedFile.Build(header), CraftedFile.OffsetOf(header, at.Replace('\'', '"')), message.Replace('\'', '"'));
    }

    [Fact]
    public void Metadata_strings_may_hold_any_JSON_escapes_and_Unicode()
    {
        string header = "{\"__metadata__\":{\"format\":\"convolve-checkpoint\",\"format_version\":\"1\",\"arch\":\"{\\\"a\\\":\\\"b\\\\n\\u00e9\\ud83d\\ude00\\\"}\",\"\":\"empty key\"}}";
        var metadata = CraftedFile.Load(CraftedFile.Build(header)).Metadata;
        Assert.Equal("{\"a\":\"b\\n\u00e9\U0001F600\"}", metadata["arch"]);
        Assert.Equal("empty key", metadata[""]);
    }

    private static void Check(string entries, int dataBytes, string at, params string[] message)
    {
        string header = CraftedFile.HeaderWith(entries.Replace('\'', '"'));
        CraftedFile.Fails(CraftedFile.Build(header, new byte[dataBytes]), CraftedFile.OffsetOf(header, at.Replace('\'', '"')),
            [.. message.Select(m => m.Replace('\'', '"'))]);
    }
}
