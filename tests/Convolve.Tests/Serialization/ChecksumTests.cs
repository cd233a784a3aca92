using System.Text;
using Convolve.Serialization;
using Convolve.Tensors;

namespace Convolve.Tests.Serialization;

/// <summary>
/// Corruption detection: every tensor and metadata value carries a CRC-64 in the metadata; a
/// damaged file is refused naming what changed (the reader and the inspector agree), and a file
/// without checksums still loads, reported as unverified.
/// </summary>
public sealed class ChecksumTests
{
    private static readonly TensorData Weight = TensorData.Create("conv.weight", new Shape(2, 3), [1f, -2f, 3.5f, 0f, 0.25f, 9f]);
    private static readonly TensorData Step = TensorData.Create("step", new Shape(1), [41L]);
    private static readonly Dictionary<string, string> Metadata = new() { ["epoch"] = "12", ["architecture"] = "{\"type\":\"ReLU\"}" };

    [Fact]
    public void Crc64_gives_the_catalogue_check_value()
    {
        // The CRC catalogue's check value of CRC-64/XZ for the ASCII digits 1 to 9.
        Assert.Equal(0x995DC9BBDF1939FAUL, Crc64.Compute("123456789"u8));
        Assert.Equal(0UL, Crc64.Compute([]));
    }

    [Fact]
    public void A_saved_file_is_verified_on_load_and_by_the_inspector()
    {
        byte[] file = Encode(checksums: true);
        Assert.True(CraftedFile.Load(file).IsVerified);
        var inspection = CheckpointInspector.Inspect(new MemoryStream(file), CraftedFile.Name);
        Assert.True(inspection.IsVerified);
        Assert.Contains("verified (every tensor", inspection.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_flipped_bit_in_tensor_data_is_refused_naming_the_tensor()
    {
        byte[] file = Encode(checksums: true);
        long dataStart = file.Length - Weight.ByteLength - Step.ByteLength; // data in name order: conv.weight, step
        file[dataStart + 5] ^= 0x10;
        var error = CraftedFile.Fails(file, dataStart, "tensor \"conv.weight\" (F32 [2, 3]) does not match its checksum", "damaged or changed after it was saved");
        Assert.DoesNotContain("step", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_edited_metadata_value_is_refused_naming_the_key()
    {
        byte[] file = Encode(checksums: true);
        ReplaceOnce(file, "\"epoch\":\"12\"", "\"epoch\":\"13\"");
        CraftedFile.Fails(file, null, "metadata \"epoch\" does not match its checksum");
    }

    [Fact]
    public void A_changed_shape_with_the_same_byte_count_is_refused()
    {
        byte[] file = Encode(checksums: true);
        ReplaceOnce(file, "\"shape\":[2,3]", "\"shape\":[3,2]");
        CraftedFile.Fails(file, file.Length - Weight.ByteLength - Step.ByteLength, "tensor \"conv.weight\" (F32 [3, 2]) does not match its checksum");
    }

    [Fact]
    public void Metadata_added_or_removed_after_saving_is_refused()
    {
        var parts = FuzzFile.TryParse(Encode(checksums: true))!;
        var metadata = (System.Text.Json.Nodes.JsonObject)parts.Header["__metadata__"]!;
        metadata["note"] = "added";
        CraftedFile.Fails(FuzzFile.Assemble(parts.Header.ToJsonString(FuzzFile.WriteOptions), parts.Data, 0), null,
            "metadata value \"note\" has no checksum");
        metadata.Remove("note");
        metadata.Remove("epoch");
        CraftedFile.Fails(FuzzFile.Assemble(parts.Header.ToJsonString(FuzzFile.WriteOptions), parts.Data, 0), null,
            "the checksums list metadata value \"epoch\", which the file does not have");
    }

    [Theory]
    [InlineData("[]", "it must be an object")]
    [InlineData("{\"algorithm\":\"md5\",\"tensors\":{},\"metadata\":{}}", "the algorithm must be \"crc64-xz\"")]
    [InlineData("{\"algorithm\":\"crc64-xz\",\"tensors\":{\"conv.weight\":\"xyz\"},\"metadata\":{}}", "must be 16 hex digits")]
    [InlineData("{\"algorithm\":\"crc64-xz\",\"tensors\":{}}", "must have algorithm, tensors, metadata")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"algorithm\":\"crc64-xz\",\"tensors\":{},\"metadata\":{}} ", "not in the form the writer produces")]
    public void Malformed_checksums_are_refused(string value, string problem)
    {
        var parts = FuzzFile.TryParse(Encode(checksums: true))!;
        parts.Header["__metadata__"]!["checksums"] = value;
        CraftedFile.Fails(FuzzFile.Assemble(parts.Header.ToJsonString(FuzzFile.WriteOptions), parts.Data, 0), null,
            "metadata \"checksums\" is malformed", problem);
    }

    [Fact]
    public void A_file_without_checksums_loads_unverified_and_the_inspector_says_so()
    {
        byte[] file = Encode(checksums: false);
        var checkpoint = CraftedFile.Load(file);
        Assert.False(checkpoint.IsVerified);
        Assert.Equal([1f, -2f, 3.5f, 0f, 0.25f, 9f], checkpoint["conv.weight"].ToSingleArray());
        var inspection = CheckpointInspector.Inspect(new MemoryStream(file), CraftedFile.Name);
        Assert.True(inspection.IsValid);
        Assert.False(inspection.IsVerified);
        Assert.Contains("unverified (the file has no checksums", inspection.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Resaving_a_loaded_checkpoint_with_other_tensors_writes_fresh_checksums()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("a.ckpt");
        CheckpointWriter.Save(path, [Weight, Step], Metadata);
        var loaded = CheckpointReader.Load(path);
        var changed = TensorData.Create("step", new Shape(1), [42L]);
        CheckpointWriter.Save(path, [loaded["conv.weight"], changed], loaded.Metadata);
        var again = CheckpointReader.Load(path);
        Assert.True(again.IsVerified);
        Assert.Equal([42L], again["step"].ToInt64Array());
    }

    private static byte[] Encode(bool checksums)
    {
        var content = CheckpointContent.Prepare([Weight, Step], Metadata, refuseNonFinite: true, checksums);
        var stream = new MemoryStream();
        SafetensorsEncoder.Write(stream, SafetensorsEncoder.EncodeHeader(content), content);
        return stream.ToArray();
    }

    private static void ReplaceOnce(byte[] file, string from, string to)
    {
        byte[] needle = Encoding.UTF8.GetBytes(from);
        int at = file.AsSpan().IndexOf(needle);
        Assert.True(at >= 0 && file.AsSpan(at + 1).IndexOf(needle) < 0, $"'{from}' must occur once");
        Encoding.UTF8.GetBytes(to).CopyTo(file, at);
    }
}
