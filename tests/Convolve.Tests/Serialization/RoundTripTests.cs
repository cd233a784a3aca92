using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Convolve.Serialization;
using Convolve.Tensors;

namespace Convolve.Tests.Serialization;

/// <summary>Save then load gives back every dtype bit for bit; the file layout follows the safetensors spec.</summary>
public class RoundTripTests
{
    private static readonly float[] Singles = [0f, -0f, 1f, -1.5f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1e-38f, MathF.PI, 3f];
    private static readonly double[] Doubles = [0d, -0d, 1d, double.Epsilon, double.MaxValue, double.MinValue, 1e-308, Math.E];
    private static readonly int[] Int32s = [int.MinValue, int.MaxValue, 0, -1, 1];
    private static readonly long[] Int64s = [long.MinValue, long.MaxValue, 0, -1, 1L << 40, 7];
    private static readonly byte[] Bytes = [0, 255, 128, 1];

    private static List<TensorData> EveryDtype() =>
    [
        TensorData.Create("f32", new Shape(Singles.Length), Singles),
        TensorData.Create("f64", new Shape(2, 4), Doubles),
        TensorData.Create("i32", new Shape(5), Int32s),
        TensorData.Create("i64", new Shape(3, 1, 2), Int64s),
        TensorData.Create("u8", new Shape(2, 2), Bytes),
        TensorData.Create("scalar", new Shape(), [42f]),
        TensorData.Create("empty", new Shape(2, 0, 3), ReadOnlySpan<double>.Empty),
    ];

    [Fact]
    public void Every_dtype_round_trips_bit_for_bit_including_signed_zero_subnormals_and_extremes()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("all.ckpt");
        CheckpointWriter.Save(path, EveryDtype());
        var loaded = CheckpointReader.Load(path);

        Assert.Equal(["empty", "f32", "f64", "i32", "i64", "scalar", "u8"], loaded.Tensors.Select(t => t.Name));
        Assert.Equal(Singles.Select(BitConverter.SingleToInt32Bits), loaded["f32"].ToSingleArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(Doubles.Select(BitConverter.DoubleToInt64Bits), loaded["f64"].ToDoubleArray().Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(Int32s, loaded["i32"].ToInt32Array());
        Assert.Equal(Int64s, loaded["i64"].ToInt64Array());
        Assert.Equal(Bytes, loaded["u8"].ToByteArray());
        Assert.Equal(new Shape(3, 1, 2), loaded["i64"].Shape);
        Assert.Equal(new Shape(), loaded["scalar"].Shape);
        Assert.Equal(42f, loaded["scalar"].ToSingleArray().Single());
        Assert.Equal(new Shape(2, 0, 3), loaded["empty"].Shape);
        Assert.Equal(TensorDType.F64, loaded["empty"].DType);
        Assert.All(EveryDtype(), t => Assert.True(t.ContentEquals(loaded[t.Name]), t.Name));
    }

    [Fact]
    public void Metadata_round_trips_any_text_and_carries_the_format_marker()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("meta.ckpt");
        string architecture = "{\"layers\":[" + string.Join(",", Enumerable.Repeat("{\"type\":\"Conv2d\",\"kernel\":[3,3]}", 20_000)) + "]}";
        var metadata = new Dictionary<string, string>
        {
            ["architecture"] = architecture,
            ["text"] = "quotes \" backslash \\ newline \n tab \t control \u0001 é 日本 😀 </script> +&",
            ["epoch"] = "7",
            [""] = "empty key",
        };
        CheckpointWriter.Save(path, [], metadata);
        var loaded = CheckpointReader.Load(path).Metadata;
        Assert.Equal(7, loaded.Count); // the four given, the format marker's two keys and the checksums
        Assert.All(metadata, pair => Assert.Equal(pair.Value, loaded[pair.Key]));
        Assert.Equal("convolve-checkpoint", loaded["format"]);
        Assert.Equal("1", loaded["format_version"]);
    }

    [Fact]
    public void Saving_is_deterministic_whatever_the_input_order_and_a_loaded_checkpoint_resaves_identically()
    {
        using var folder = new TemporaryFolder();
        var metadata = new Dictionary<string, string> { ["z"] = "last", ["a"] = "first" };
        CheckpointWriter.Save(folder.File("1.ckpt"), EveryDtype(), metadata);
        CheckpointWriter.Save(folder.File("2.ckpt"), Enumerable.Reverse(EveryDtype()), metadata.Reverse().ToDictionary());
        var loaded = CheckpointReader.Load(folder.File("1.ckpt"));
        CheckpointWriter.Save(folder.File("3.ckpt"), loaded.Tensors, loaded.Metadata);
        byte[] first = File.ReadAllBytes(folder.File("1.ckpt"));
        Assert.Equal(first, File.ReadAllBytes(folder.File("2.ckpt")));
        Assert.Equal(first, File.ReadAllBytes(folder.File("3.ckpt")));
    }

    [Fact]
    public void The_file_is_a_padded_header_then_contiguous_little_endian_data_in_name_order()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("layout.ckpt");
        CheckpointWriter.Save(path, EveryDtype(), new Dictionary<string, string> { ["epoch"] = "3" });
        byte[] file = File.ReadAllBytes(path);

        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0, headerLength % 8);
        string header = Encoding.UTF8.GetString(file, 8, (int)headerLength);
        Assert.EndsWith("}", header.TrimEnd(' '), StringComparison.Ordinal); // the padding is spaces only
        using var json = JsonDocument.Parse(header);
        var keys = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal("__metadata__", keys[0]);
        Assert.Equal(keys.Skip(1).Order(StringComparer.Ordinal), keys.Skip(1));

        long expectedBegin = 0;
        long dataStart = 8 + headerLength;
        foreach (string name in keys.Skip(1))
        {
            var entry = json.RootElement.GetProperty(name);
            long begin = entry.GetProperty("data_offsets")[0].GetInt64(), end = entry.GetProperty("data_offsets")[1].GetInt64();
            Assert.Equal(expectedBegin, begin);
            expectedBegin = end;
        }
        Assert.Equal(file.Length, dataStart + expectedBegin);

        var i64 = json.RootElement.GetProperty("i64");
        Assert.Equal("I64", i64.GetProperty("dtype").GetString());
        Assert.Equal([3, 1, 2], i64.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        long i64Start = dataStart + i64.GetProperty("data_offsets")[0].GetInt64();
        for (int i = 0; i < Int64s.Length; i++)
        {
            Assert.Equal(Int64s[i], BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan((int)i64Start + 8 * i)));
        }
        Assert.Equal("3", json.RootElement.GetProperty("__metadata__").GetProperty("epoch").GetString());
    }

    [Fact]
    public void A_tiny_checkpoint_has_exactly_the_bytes_the_spec_prescribes()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("tiny.ckpt");
        CheckpointWriter.Save(path, [TensorData.Create("b", new Shape(2), [1, -2]), TensorData.Create("a", new Shape(3), [(byte)7, (byte)8, (byte)9])]);

        // The CRC-64/XZ values were computed independently with Python's lzma module (the check
        // field of an xz stream with CHECK_CRC64) over "U8:3;" + 07 08 09, "I32:2;" + the two
        // little-endian ints, and the UTF-8 metadata values.
        string checksums = "{\\\"algorithm\\\":\\\"crc64-xz\\\",\\\"tensors\\\":{\\\"a\\\":\\\"50c6cb9eab70dd36\\\",\\\"b\\\":\\\"da67fe691882269f\\\"},"
            + "\\\"metadata\\\":{\\\"format\\\":\\\"05c77a9af66e270a\\\",\\\"format_version\\\":\\\"2a2f0e859495caed\\\"}}";
        string json = "{\"__metadata__\":{\"checksums\":\"" + checksums + "\",\"format\":\"convolve-checkpoint\",\"format_version\":\"1\"},"
            + "\"a\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[0,3]},"
            + "\"b\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[3,11]}}";
        int padded = (json.Length + 7) / 8 * 8;
        byte[] expected =
        [
            (byte)padded, (byte)(padded >> 8), 0, 0, 0, 0, 0, 0,
            .. Encoding.ASCII.GetBytes(json.PadRight(padded)),
            7, 8, 9,
            0x01, 0x00, 0x00, 0x00,
            0xFE, 0xFF, 0xFF, 0xFF,
        ];
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void Asking_for_an_absent_tensor_lists_the_names_there_are()
    {
        var checkpoint = CraftedFile.Load(CraftedFile.WithEntries("\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}", [5]));
        var error = Assert.Throws<KeyNotFoundException>(() => checkpoint["bias"]);
        Assert.Contains("no tensor \"bias\"; it has 1: w", error.Message, StringComparison.Ordinal);
        Assert.False(checkpoint.TryGetTensor("bias", out _));
    }
}
