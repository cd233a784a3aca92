using Convolve.Data;
using Convolve.Losses;
using Convolve.Optimizers;
using Convolve.Serialization;
using Convolve.Tensors;
using Convolve.Tests.Dense;
using Convolve.Training;

namespace Convolve.Tests.Training;

/// <summary>
/// <c>last.safetensors</c> is written before <c>best.safetensors</c>; a crash between the two
/// leaves a <c>last</c> whose best epoch is its own, and <see cref="CheckpointCallback.Recover"/>
/// rewrites <c>best</c> from it with exactly the bytes the interrupted write would have produced.
/// </summary>
[Collection(GlobalRandomSerial.Name)]
public sealed class CheckpointRecoveryTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("convolve-recovery-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void A_crash_between_the_two_writes_is_repaired_to_the_uninterrupted_best()
    {
        string straight = Train("straight", epochs: 2, stopAfter: null);
        Assert.Equal(1, TrainingCheckpoint.Load(Path.Combine(straight, "last.safetensors")).BestEpoch); // epoch 2 was the best

        // The crash: both epochs' "last" written, the second "best" never reached the disk.
        string crashed = Train("crashed", epochs: 2, stopAfter: 1);
        var callback = new CheckpointCallback(crashed);
        byte[] stale = File.ReadAllBytes(callback.BestPath);
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(straight, "best.safetensors")), stale);

        string? said = callback.Recover();

        Assert.Contains("rewrote", said, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "best.safetensors")), File.ReadAllBytes(callback.BestPath));
        Assert.Null(callback.Recover());
    }

    [Fact]
    public void A_missing_best_or_one_from_another_run_is_rebuilt_and_a_consistent_folder_is_left_alone()
    {
        string run = Train("run", epochs: 1, stopAfter: null);
        var callback = new CheckpointCallback(run);
        Assert.Null(callback.Recover());
        byte[] best = File.ReadAllBytes(callback.BestPath);

        File.Delete(callback.BestPath);
        Assert.NotNull(callback.Recover());
        Assert.Equal(best, File.ReadAllBytes(callback.BestPath));

        string other = Train("other", epochs: 1, stopAfter: null, seed: 9);
        File.Copy(Path.Combine(other, "best.safetensors"), callback.BestPath, overwrite: true);
        Assert.NotNull(callback.Recover());
        Assert.Equal(best, File.ReadAllBytes(callback.BestPath));
    }

    /// <summary>Trains in <c>root/name</c>; with <paramref name="stopAfter"/>, the epoch of that index writes only last.</summary>
    private string Train(string name, int epochs, int? stopAfter, ulong seed = 2)
    {
        string folder = Path.Combine(root, name);
        RandomSource.ManualSeed(seed);
        var model = TrainingSetup.TinyCnn(seed);
        var optimizer = new Sgd(model.NamedParameters().Select(p => p.Parameter), 0.1, momentum: 0.9);
        var loader = new DataLoader(TrainingSetup.Blobs(30, 5), 6, seed: 7);
        var checkpoints = new CheckpointCallback(folder, new Dictionary<string, string> { [CheckpointCallback.RunIdKey] = $"run-{seed}" });
        ITrainingCallback callback = stopAfter is int epoch ? new LastOnlyAt(checkpoints, epoch) : checkpoints;
        var options = new TrainerOptions { Epochs = epochs, Callbacks = [callback] };
        new Trainer(model, optimizer, new CrossEntropyLoss(), options).Fit(loader, TrainingSetup.Blobs(12, 6));
        return folder;
    }

    /// <summary>Like a crash after last's write at one epoch: there, best keeps its previous bytes.</summary>
    private sealed class LastOnlyAt(CheckpointCallback inner, int epoch) : ITrainingCallback
    {
        public void OnEpochEnd(EpochReport report, TrainingContext context)
        {
            byte[]? previous = report.Epoch == epoch && File.Exists(inner.BestPath) ? File.ReadAllBytes(inner.BestPath) : null;
            inner.OnEpochEnd(report, context);
            if (previous is not null)
            {
                File.WriteAllBytes(inner.BestPath, previous);
            }
        }
    }
}
