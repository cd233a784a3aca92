using Convolve.Serialization;
using Convolve.Tensors;

namespace Convolve.Tests.Serialization;

/// <summary>Save refuses bad content before touching the disk: non-finite values, bad names, bad metadata.</summary>
public class WriterValidationTests
{
    private static readonly TensorData Good = TensorData.Create("good", new Shape(2), [1f, 2f]);

    [Theory]
    [InlineData(TensorDType.F32, float.NaN, 5, "NaN at element 5 (index [1, 2] of shape [2, 3])")]
    [InlineData(TensorDType.F32, float.PositiveInfinity, 0, "+Inf at element 0 (index [0, 0] of shape [2, 3])")]
    [InlineData(TensorDType.F32, float.NegativeInfinity, 4, "-Inf at element 4 (index [1, 1] of shape [2, 3])")]
    [InlineData(TensorDType.F64, double.NaN, 3, "NaN at element 3 (index [1, 0] of shape [2, 3])")]
    [InlineData(TensorDType.F64, double.NegativeInfinity, 2, "-Inf at element 2 (index [0, 2] of shape [2, 3])")]
    public void A_non_finite_value_is_refused_naming_tensor_and_index_and_nothing_on_disk_changes(TensorDType dtype, double bad, int index, string message)
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("model.ckpt");
        CheckpointWriter.Save(path, [Good]);
        byte[] before = File.ReadAllBytes(path);
        // A stale temporary survives only if Save never reached the disk (it would sweep it).
        string stale = folder.File($".model.ckpt.{new string('a', 32)}.tmp");
        File.WriteAllBytes(stale, [1]);

        var values = new double[6];
        values[index] = bad;
        var broken = dtype == TensorDType.F32
            ? TensorData.Create("conv1.weight", new Shape(2, 3), values.Select(v => (float)v).ToArray())
            : TensorData.Create("conv1.weight", new Shape(2, 3), values);
        var error = Assert.Throws<ArgumentException>(() => CheckpointWriter.Save(path, [Good, broken]));

        Assert.Contains($"tensor \"conv1.weight\" has {message}", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.True(File.Exists(stale));
        Assert.Equal([".model.ckpt.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.tmp", "model.ckpt"], folder.Names());
    }

    [Fact]
    public void Integer_tensors_have_no_non_finite_values_to_refuse()
    {
        using var folder = new TemporaryFolder();
        // The bit pattern of a float NaN, stored as I32, is just an integer.
        CheckpointWriter.Save(folder.File("ints.ckpt"), [TensorData.Create("i", new Shape(1), [0x7FC00000])]);
        Assert.Equal(0x7FC00000, CheckpointReader.Load(folder.File("ints.ckpt"))["i"].ToInt32Array()[0]);
    }

    [Fact]
    public void Bad_tensor_names_are_refused_with_the_name()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("x.ckpt");
        AssertRefused(() => CheckpointWriter.Save(path, [Good, TensorData.Create("good", new Shape(1), [1])]), "two tensors are named \"good\"");
        AssertRefused(() => CheckpointWriter.Save(path, [Good, TensorData.Create("", new Shape(1), [1])]), "tensor 1 has an empty name");
        AssertRefused(() => CheckpointWriter.Save(path, [TensorData.Create("__metadata__", new Shape(1), [1])]), "\"__metadata__\" is reserved");
        AssertRefused(() => CheckpointWriter.Save(path, [Good, null!]), "tensor 1 is null");
        AssertRefused(() => CheckpointWriter.Save(path, [TensorData.Create("a\uD800b", new Shape(1), [1])]), "unpaired surrogate at index 1");
        Assert.Empty(folder.Names());
    }

    [Fact]
    public void Bad_metadata_is_refused_with_the_key()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("x.ckpt");
        AssertRefused(() => CheckpointWriter.Save(path, [Good], new Dictionary<string, string> { ["format"] = "pytorch" }),
            "metadata \"format\" is reserved: it is always \"convolve-checkpoint\" but got \"pytorch\"");
        AssertRefused(() => CheckpointWriter.Save(path, [Good], new Dictionary<string, string> { ["format_version"] = "2" }),
            "metadata \"format_version\" is reserved: it is always \"1\" but got \"2\"");
        AssertRefused(() => CheckpointWriter.Save(path, [Good], new Dictionary<string, string> { ["epoch"] = null! }), "metadata \"epoch\" is null");
        AssertRefused(() => CheckpointWriter.Save(path, [Good], new Dictionary<string, string> { ["k\uDC00"] = "v" }), "metadata key");
        AssertRefused(() => CheckpointWriter.Save(path, [Good], new Dictionary<string, string> { ["k"] = "\uD800" }), "metadata value \"k\" has an unpaired surrogate at index 0");
        Assert.Empty(folder.Names());
        CheckpointWriter.Save(path, [Good], new Dictionary<string, string> { ["format"] = "convolve-checkpoint", ["format_version"] = "1" });
        Assert.Equal(3, CheckpointReader.Load(path).Metadata.Count); // the marker's two keys and the checksums
    }

    [Fact]
    public void A_header_larger_than_a_reader_accepts_is_refused_before_writing()
    {
        using var folder = new TemporaryFolder();
        var metadata = new Dictionary<string, string> { ["huge"] = new string('x', (int)CheckpointFormat.MaxHeaderLength) };
        AssertRefused(() => CheckpointWriter.Save(folder.File("x.ckpt"), [Good], metadata), "more than the 100000000 a reader accepts");
        Assert.Empty(folder.Names());
    }

    [Fact]
    public void A_missing_folder_is_reported_with_what_to_do_and_nothing_is_created()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "runs", "model.ckpt");
        var error = Assert.Throws<DirectoryNotFoundException>(() => CheckpointWriter.Save(path, [Good]));
        Assert.Contains($"folder {Path.Combine(folder.Path, "runs")} does not exist; create it first", error.Message, StringComparison.Ordinal);
        Assert.Empty(folder.Names());
    }

    private static void AssertRefused(Action save, string message)
    {
        var error = Assert.ThrowsAny<ArgumentException>(save);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
