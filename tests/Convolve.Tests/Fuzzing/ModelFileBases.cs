using Convolve.Data;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Models;
using Convolve.Optimizers;
using Convolve.Serialization;
using Convolve.Tensors;
using Convolve.Tests.Serialization;
using Convolve.Tests.Training;
using Convolve.Training;

namespace Convolve.Tests.Fuzzing;

/// <summary>
/// The valid files the model fuzz starts from: a small model with batch normalisation and a
/// training checkpoint of it (Adam state, loader and generator states), each with and without
/// checksums, and an untrained LeNet-5 without checksums (the 250 KB example).
/// </summary>
internal sealed class ModelFileBases
{
    private readonly List<(string Name, byte[] File)> files = [];
    private readonly Dictionary<string, Layer> targets = new(StringComparer.Ordinal);

    private ModelFileBases()
    {
    }

    /// <summary>The model a training checkpoint base holds, for the resume fixture.</summary>
    public Layer Training { get; private set; } = null!;

    public static ModelFileBases Create()
    {
        var bases = new ModelFileBases();
        using var folder = new TemporaryFolder();
        RandomSource.ManualSeed(3);
        Layer model = TrainingSetup.TinyCnnWithBatchNorm(4);
        var loader = new DataLoader(TrainingSetup.Blobs(45, 5), 8, seed: 7);
        var metadata = ModelMetadata.Describe(new InputNormalization(0.1, 0.9), ["a", "b", "c"]);
        metadata[CheckpointCallback.RunIdKey] = "fuzz-base"; // a fixed id, so that a seed replays the same mutants
        var options = new TrainerOptions { Epochs = 1, Callbacks = [new CheckpointCallback(folder.Path, metadata)] };
        new Trainer(model, new Adam(model.NamedParameters().Select(p => p.Parameter), 0.01), new CrossEntropyLoss(), options).Fit(loader, TrainingSetup.Blobs(12, 6));
        bases.Add("model", File.ReadAllBytes(folder.File("best.safetensors")), Model.Load(folder.File("best.safetensors")));
        bases.Add("training", File.ReadAllBytes(folder.File("last.safetensors")), Model.Load(folder.File("best.safetensors")));
        bases.Training = TrainingCheckpoint.Load(folder.File("last.safetensors")).Model;
        Model.Save(folder.File("lenet.safetensors"), ModelZoo.Create("lenet5", random: new RandomSource(1)));
        bases.Add("lenet5", File.ReadAllBytes(folder.File("lenet.safetensors")), ModelZoo.Create("lenet5", random: new RandomSource(2)), withChecksums: false);
        return bases;
    }

    /// <summary>A base chosen by <paramref name="random"/>.</summary>
    public (string Name, byte[] File) Pick(RandomSource random) => files[random.NextInt(files.Count)];

    /// <summary>A model with the base's architecture, for loading a mutant's tensors into.</summary>
    public Layer TargetFor(string name) => targets[name];

    private void Add(string name, byte[] file, Layer target, bool withChecksums = true)
    {
        var checkpoint = CheckpointReader.Load(new MemoryStream(file), name);
        var metadata = checkpoint.Metadata.Where(p => p.Key != CheckpointFormat.ChecksumsKey).ToDictionary(p => p.Key, p => p.Value);
        if (withChecksums)
        {
            files.Add(($"{name} (verified)", file));
            targets[$"{name} (verified)"] = target;
        }
        files.Add(($"{name} (unverified)", ModelFileValidationTests.Encode(checkpoint.Tensors, metadata, checksums: false)));
        targets[$"{name} (unverified)"] = target;
    }
}
