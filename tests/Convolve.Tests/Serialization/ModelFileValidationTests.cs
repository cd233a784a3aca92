using System.Text.Json.Nodes;
using Convolve.Data;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Serialization;
using Convolve.Tensors;

namespace Convolve.Tests.Serialization;

/// <summary>
/// What a model file must hold for <see cref="SavedModel.Load(string)"/> (and so for
/// <c>convolve eval</c>): an architecture that fits the stored tensors, checked before anything
/// is allocated; finite values; a well-formed normalisation and class names.
/// </summary>
public sealed class ModelFileValidationTests
{
    private static readonly byte[] Lenet = Saved(ModelZoo.Create("lenet5", random: new RandomSource(5)));

    [Theory]
    [InlineData("\"out_features\":84", "\"out_features\":10000000", "'9.weight' F32 [10000000, 120]")]
    [InlineData("\"kernel_size\":[5,5]", "\"kernel_size\":[1000000,5]", "'0.weight' F32 [6, 1, 1000000, 5]")]
    [InlineData("\"in_features\":400", "\"in_features\":2000000000", "'7.weight' F32 [120, 2000000000]")]
    public void An_edited_size_is_refused_before_the_model_is_allocated(string from, string to, string named)
    {
        byte[] file = EditArchitecture(Lenet, json => ReplaceFirst(json, from, to));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<CheckpointFormatException>(() => SavedModel.Load(new MemoryStream(file), "lenet5.safetensors"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains("but the file stores F32", error.Message, StringComparison.Ordinal);
        // Reading the file costs about its size; building the model would have cost gigabytes.
        Assert.True(allocated < 4 * file.Length + (1 << 20), $"{allocated:N0} bytes allocated for a {file.Length:N0}-byte file");
    }

    [Fact]
    public void A_layer_added_to_the_architecture_is_refused_naming_its_missing_tensor()
    {
        byte[] file = EditArchitecture(Lenet, json => json.Replace("]}", ",{\"type\":\"Linear\",\"in_features\":10,\"out_features\":10,\"bias\":true}]}", StringComparison.Ordinal));
        var error = Assert.Throws<CheckpointFormatException>(() => SavedModel.Load(new MemoryStream(file), "m"));
        Assert.Contains("the architecture has '12.weight' F32 [10, 10] but the file has no such tensor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weights_with_NaN_are_refused_naming_the_tensor_and_element()
    {
        var model = new Sequential(new Linear(3, 2, random: new RandomSource(1)));
        var tensors = Model.StateTensors(model).ToList();
        float[] weight = tensors[0].ToSingleArray();
        weight[4] = float.NaN;
        tensors[0] = TensorData.Create("0.weight", new Shape(2, 3), weight);
        var metadata = new Dictionary<string, string> { [Model.ArchitectureKey] = ModelArchitecture.ToJson(model) };
        var error = Assert.Throws<CheckpointFormatException>(() => SavedModel.Load(new MemoryStream(Encode(tensors, metadata, checksums: true)), "nan.safetensors"));
        Assert.Contains("tensor '0.weight' holds NaN at element 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_save_records_the_normalisation_and_load_returns_it()
    {
        var model = new Sequential(new Linear(3, 2, random: new RandomSource(1)));
        var saved = SavedModel.Load(new MemoryStream(Saved(model, new InputNormalization(0.286, 0.353))), "m");
        Assert.Equal(new InputNormalization(0.286, 0.353), saved.Normalization);
        Assert.True(saved.IsVerified);
        Assert.Equal(InputNormalization.None, SavedModel.Load(new MemoryStream(Saved(model)), "m").Normalization);
    }

    [Theory]
    [InlineData("class_names", "{\"0\":\"cat\"}", "metadata class_names must be a JSON array of strings")]
    [InlineData("class_names", "[\"cat\",null]", "metadata class_names must be a JSON array of strings")]
    [InlineData("normalization_std", "0", "must be a finite mean and a finite positive standard deviation")]
    [InlineData("normalization_mean", "abc", "metadata normalization_mean must be a number but is \"abc\"")]
    public void Malformed_model_metadata_is_refused_on_load_and_on_save(string key, string value, string problem)
    {
        var model = new Sequential(new Linear(3, 2, random: new RandomSource(1)));
        var metadata = new Dictionary<string, string>
        {
            [Model.ArchitectureKey] = ModelArchitecture.ToJson(model), ["normalization_mean"] = "0.5", ["normalization_std"] = "0.25", [key] = value,
        };
        var error = Assert.Throws<CheckpointFormatException>(() => SavedModel.Load(new MemoryStream(Encode(Model.StateTensors(model), metadata, checksums: true)), "m"));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        var refused = Assert.Throws<ArgumentException>(() => Model.Save(Path.Combine(Path.GetTempPath(), "never-written.safetensors"), model, metadata));
        Assert.Contains(problem, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_checksums_still_loads_unverified()
    {
        var model = new Sequential(new Linear(3, 2, random: new RandomSource(1)));
        var metadata = new Dictionary<string, string> { [Model.ArchitectureKey] = ModelArchitecture.ToJson(model) };
        var saved = SavedModel.Load(new MemoryStream(Encode(Model.StateTensors(model), metadata, checksums: false)), "m");
        Assert.False(saved.IsVerified);
        Assert.Null(saved.Normalization);
    }

    internal static byte[] Saved(Layer model, InputNormalization? normalization = null)
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("model.safetensors");
        Model.Save(path, model, normalization: normalization);
        return File.ReadAllBytes(path);
    }

    /// <summary>The file with its architecture text edited and its checksums dropped, as another writer might produce it.</summary>
    internal static byte[] EditArchitecture(byte[] file, Func<string, string> edit)
    {
        var parts = FuzzFile.TryParse(file)!;
        var metadata = (JsonObject)parts.Header["__metadata__"]!;
        string architecture = metadata[Model.ArchitectureKey]!.GetValue<string>();
        string edited = edit(architecture);
        Assert.NotEqual(architecture, edited);
        metadata[Model.ArchitectureKey] = edited;
        metadata.Remove(CheckpointFormat.ChecksumsKey);
        return FuzzFile.Assemble(parts.Header.ToJsonString(FuzzFile.WriteOptions), parts.Data, 0);
    }

    internal static byte[] Encode(IEnumerable<TensorData> tensors, IReadOnlyDictionary<string, string> metadata, bool checksums)
    {
        var content = CheckpointContent.Prepare(tensors, metadata, refuseNonFinite: false, checksums);
        var stream = new MemoryStream();
        SafetensorsEncoder.Write(stream, SafetensorsEncoder.EncodeHeader(content), content);
        return stream.ToArray();
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        int at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{from}' not in {text}");
        return string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
    }
}
