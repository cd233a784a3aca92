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
using Xunit.Abstractions;

namespace Convolve.Tests.Fuzzing;

/// <summary>
/// Fuzzing of model files and training checkpoints through every reader a user reaches:
/// <see cref="SavedModel.Load(Stream, string)"/> (eval, predict, inspect), <see cref="TrainingCheckpoint.Load(Stream, string)"/>
/// and <see cref="TrainingCheckpoint.Resume"/> (train --resume), and <see cref="Model.LoadState"/> into
/// an existing model. Each mutant is loaded or refused with the documented exception
/// (<see cref="CheckpointFormatException"/> or <see cref="ModelArchitectureException"/>; Resume:
/// <see cref="ArgumentException"/>), within the time and allocation limits of <see cref="FuzzTally"/>,
/// and a refused load leaves the model, optimizer, loader and global generator as they were.
/// Long run: <c>CONVOLVE_FUZZ_MUTANTS=100000 dotnet test Convolve.slnx -c Release --filter FullyQualifiedName~Convolve.Tests.Fuzzing</c>.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)]
public sealed class ModelFileFuzzTests(ITestOutputHelper output)
{
    private const double AllocationFactor = 16;
    private const long AllocationSlack = 4 << 20;
    private static readonly Type[] FileErrors = [typeof(CheckpointFormatException), typeof(ModelArchitectureException)];

    [Fact]
    public void Every_mutated_model_file_loads_or_is_refused_with_a_documented_exception()
    {
        ulong seed = FuzzSettings.Seed(20_251_111);
        var bases = ModelFileBases.Create();
        var models = new FuzzTally("SavedModel.Load");
        var training = new FuzzTally("TrainingCheckpoint.Load");
        var resumes = new FuzzTally("TrainingCheckpoint.Resume");
        var states = new FuzzTally("Model.LoadState into a model");
        var fixture = new ResumeFixture(bases.Training);
        for (int m = 0; m < FuzzSettings.Mutants; m++)
        {
            var log = new List<string>();
            var random = new RandomSource(seed * 1_000_003 + (ulong)m);
            var (baseName, file) = bases.Pick(random);
            var mutator = new ModelFileMutator(random);
            for (int edits = random.NextInt(4) == 0 ? 2 : 1; edits > 0; edits--)
            {
                file = mutator.Mutate(file, log);
            }
            string Where() => $"fuzz seed {seed} mutant {m} [{baseName}; {string.Join("; ", log)}]";
            models.Run(() => SavedModel.Load(new MemoryStream(file, false), "fuzz.safetensors"), file.Length, AllocationFactor, AllocationSlack, FileErrors, Where);
            if (baseName.StartsWith("training", StringComparison.Ordinal))
            {
                fixture = CheckTraining(file, fixture, training, resumes, Where);
            }
            CheckLoadState(file, bases.TargetFor(baseName), states, Where);
        }
        foreach (var tally in new[] { models, training, resumes, states })
        {
            output.WriteLine(tally.ToString());
        }
        Assert.True(models["loaded"] > 0 && models.Count > models["loaded"], models.ToString());
    }

    /// <summary>Loads a training mutant and, when it loads, resumes into the fixture; a refused resume must leave the fixture unchanged.</summary>
    private static ResumeFixture CheckTraining(byte[] file, ResumeFixture fixture, FuzzTally training, FuzzTally resumes, Func<string> where)
    {
        TrainingCheckpoint? checkpoint = null;
        training.Run(() => checkpoint = TrainingCheckpoint.Load(new MemoryStream(file, false), "fuzz.safetensors"), file.Length, AllocationFactor, AllocationSlack, FileErrors, where);
        if (checkpoint is null)
        {
            return fixture;
        }
        var before = fixture.Snapshot();
        var refused = resumes.Run(() => checkpoint.Resume(fixture.Optimizer, fixture.Loader, new TrainerOptions { Epochs = 3 }), file.Length, AllocationFactor, AllocationSlack,
            [typeof(ArgumentException)], where);
        if (refused is null)
        {
            return fixture.Fresh();
        }
        Assert.True(before.SequenceEqual(fixture.Snapshot()), $"{where()}: a refused resume changed the optimizer, loader or global generator");
        return fixture;
    }

    /// <summary>Loads a readable mutant's tensors into an existing model; a refusal must leave the model unchanged.</summary>
    private static void CheckLoadState(byte[] file, Layer target, FuzzTally states, Func<string> where)
    {
        Checkpoint checkpoint;
        try
        {
            checkpoint = CheckpointReader.Load(new MemoryStream(file, false), "fuzz.safetensors");
        }
        catch (CheckpointFormatException)
        {
            return;
        }
        var before = TrainingSetup.Snapshot(target);
        var refused = states.Run(() => Model.LoadState(target, checkpoint, "fuzz.safetensors", Model.OptimizerPrefix), file.Length, AllocationFactor, AllocationSlack,
            [typeof(CheckpointFormatException)], where);
        if (refused is not null)
        {
            TrainingSetup.AssertIdentical(before, target, $"{where()}: the model after a refused load");
        }
    }

    /// <summary>An optimizer, loader and global generator state that a mutant's Resume may change.</summary>
    private sealed class ResumeFixture(Layer model)
    {
        public Optimizer Optimizer { get; } = new Adam(model.NamedParameters().Select(p => p.Parameter), 0.01);

        public DataLoader Loader { get; } = new(TrainingSetup.Blobs(45, 5), 8, seed: 7);

        public ResumeFixture Fresh()
        {
            RandomSource.ManualSeed(5);
            return new ResumeFixture(model);
        }

        public List<string> Snapshot() =>
        [
            .. Optimizer.State().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={string.Join(",", p.Value.Data)}"),
            System.Text.Json.JsonSerializer.Serialize(Loader.GetState()),
            string.Join(",", RandomSource.Global.GetState()),
        ];
    }
}
