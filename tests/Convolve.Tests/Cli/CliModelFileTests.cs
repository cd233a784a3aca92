using Convolve.Data;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Serialization;
using Convolve.Tensors;
using Convolve.Tests.Serialization;
using Convolve.Training;

namespace Convolve.Tests.Cli;

/// <summary>
/// <c>inspect</c> reports exactly what <c>eval</c> refuses (damage, NaN weights, a mismatched
/// architecture, malformed metadata), both with exit code 2, and a model saved by the library
/// is evaluated with the normalisation it recorded.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)]
public sealed class CliModelFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convolve-cli-models-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string Sample => DatasetLocator.SampleDirectory;

    [Fact]
    public void A_flipped_byte_in_the_weights_is_refused_by_eval_and_reported_by_inspect()
    {
        string path = SavedModels.Lenet(folder);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^100] ^= 0x04; // inside the last tensor's data
        File.WriteAllBytes(path, bytes);
        string eval = AssertSameRefusal(path);
        Assert.Contains("does not match its checksum", eval, StringComparison.Ordinal);
        Assert.Contains("tensor \"9.weight\"", eval, StringComparison.Ordinal);
    }

    [Fact]
    public void NaN_weights_are_refused_by_eval_and_reported_by_inspect()
    {
        var model = new Sequential(new Flatten(), new Linear(784, 10, random: new RandomSource(1)));
        var tensors = Model.StateTensors(model).ToList();
        float[] weight = tensors.Single(t => t.Name == "1.weight").ToSingleArray();
        weight[17] = float.NaN;
        tensors[tensors.FindIndex(t => t.Name == "1.weight")] = TensorData.Create("1.weight", new Shape(10, 784), weight);
        string path = Write(tensors, Metadata(model), checksums: true);
        Assert.Contains("tensor '1.weight' holds NaN at element 17", AssertSameRefusal(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Class_names_that_are_not_an_array_are_refused_by_eval_and_reported_by_inspect()
    {
        var model = new Sequential(new Flatten(), new Linear(784, 10, random: new RandomSource(1)));
        var metadata = Metadata(model);
        metadata[ModelMetadata.ClassNamesKey] = "{\"0\": \"cat\"}";
        string path = Write(Model.StateTensors(model), metadata, checksums: true);
        Assert.Contains("metadata class_names must be a JSON array of strings", AssertSameRefusal(path), StringComparison.Ordinal);
    }

    [Fact]
    public void An_architecture_that_does_not_fit_the_tensors_is_refused_by_eval_and_reported_by_inspect()
    {
        var model = new Sequential(new Flatten(), new Linear(784, 10, random: new RandomSource(1)));
        var metadata = Metadata(model);
        metadata[Model.ArchitectureKey] = ModelArchitecture.ToJson(new Sequential(new Flatten(), new Linear(784, 12)));
        string path = Write(Model.StateTensors(model), metadata, checksums: true);
        Assert.Contains("the architecture has '1.weight' F32 [12, 784] but the file stores F32 [10, 784]", AssertSameRefusal(path), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_checksums_is_usable_and_inspect_says_it_is_unverified()
    {
        var model = new Sequential(new Flatten(), new Linear(784, 10, random: new RandomSource(1)));
        string path = Write(Model.StateTensors(model), Metadata(model), checksums: false);
        var inspect = CliRunner.Run("inspect", path);
        Assert.True(inspect.ExitCode == 0, inspect.Error);
        Assert.Contains("unverified (the file has no checksums, so damage cannot be detected)", inspect.Output, StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Run("eval", path, "--data", Sample).ExitCode);
    }

    [Fact]
    public void A_model_saved_by_the_library_is_evaluated_with_its_recorded_normalisation()
    {
        var test = Dataset.FromIdx(Path.Combine(Sample, "t10k-images-idx3-ubyte.gz"), Path.Combine(Sample, "t10k-labels-idx1-ubyte.gz"));
        var normalization = new InputNormalization(0.3, 0.4);
        var model = ModelZoo.Create("lenet5", random: new RandomSource(2));
        string path = Path.Combine(folder, "library.safetensors");
        Model.Save(path, model, normalization: normalization);
        test.Normalize(normalization);
        var expected = Evaluator.Evaluate(model, test);

        var eval = CliRunner.Run("eval", path, "--data", Sample);

        Assert.True(eval.ExitCode == 0, eval.Error);
        Assert.Contains($"accuracy {expected.Accuracy.ToString("P2", System.Globalization.CultureInfo.InvariantCulture)} ({expected.Correct:N0} correct)", eval.Output, StringComparison.Ordinal);
    }

    /// <summary>eval refuses the file with one line and exit 2; inspect reports the same problem with exit 2; returns eval's message.</summary>
    private static string AssertSameRefusal(string path)
    {
        string eval = CliRunner.UserError(CliRunner.Run("eval", path, "--data", Sample))["convolve: ".Length..];
        string inspect = CliRunner.UserError(CliRunner.Run("inspect", path));
        Assert.True(inspect == $"convolve: {path} would be refused by eval: {eval}" || inspect == $"convolve: {path} is not a valid checkpoint: {eval}",
            $"inspect said \"{inspect}\" but eval \"{eval}\"");
        return eval;
    }

    private static Dictionary<string, string> Metadata(Layer model)
    {
        var metadata = ModelMetadata.Describe(new InputNormalization(0.28, 0.35));
        metadata[Model.ArchitectureKey] = ModelArchitecture.ToJson(model);
        return metadata;
    }

    private string Write(IEnumerable<TensorData> tensors, Dictionary<string, string> metadata, bool checksums)
    {
        string path = Path.Combine(folder, $"model-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, ModelFileValidationTests.Encode(tensors, metadata, checksums));
        return path;
    }
}
