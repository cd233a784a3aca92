using Convolve.Data;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Models;
using Convolve.Optimizers;
using Convolve.Tensors;
using Convolve.Tests.Dense;
using Convolve.Training;

namespace Convolve.Tests.Training;

/// <summary>
/// A run that is stopped after an epoch and resumed from <c>last.safetensors</c> with one call
/// (model, optimizer, loader and random state read back from the file) ends bit-for-bit equal to an
/// uninterrupted run with the same seed and thread count. The model has BatchNorm (buffers) and
/// Dropout drawing from the global generator, and the run uses augmentation and a schedule, so
/// every kind of state has to survive the file.
/// </summary>
[Collection(GlobalRandomSerial.Name)]
public sealed class CheckpointResumeTests : IDisposable
{
    private const int Epochs = 3;
    private readonly string folder = Directory.CreateTempSubdirectory("convolve-resume-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static Sequential BuildModel()
    {
        RandomSource.ManualSeed(11);
        return new Sequential(
            new Conv2d(1, 4, 3, padding: 1), new BatchNorm2d(4), new ReLU(), new Dropout(0.25f),
            new Flatten(), new Linear(64, 3));
    }

    private static (Trainer Trainer, DataLoader Loader) Setup(Layer model, string? checkpointDirectory)
    {
        var loader = new DataLoader(TrainingSetup.Blobs(45, 5), 8, shuffle: true, seed: 7, augment: new Augmentation(cropPadding: 1, horizontalFlip: true));
        var optimizer = new Adam(model.NamedParameters().Select(p => p.Parameter), 0.01);
        var options = new TrainerOptions
        {
            Epochs = Epochs,
            Schedule = new CosineAnnealingLR(Epochs * loader.BatchesPerEpoch),
            Callbacks = checkpointDirectory is null ? [] : [new StopAfterFirstEpoch(new CheckpointCallback(checkpointDirectory))],
        };
        return (new Trainer(model, optimizer, new CrossEntropyLoss(), options), loader);
    }

    [Fact]
    public void A_run_resumed_from_its_checkpoint_file_ends_bit_identical_to_an_uninterrupted_run()
    {
        var straight = BuildModel();
        var (trainer, loader) = Setup(straight, null);
        trainer.Fit(loader, TrainingSetup.Blobs(12, 6));
        var expected = TrainingSetup.Snapshot(straight);

        var (first, firstLoader) = Setup(BuildModel(), folder);
        Assert.Throws<OperationCanceledException>(() => first.Fit(firstLoader, TrainingSetup.Blobs(12, 6)));
        RandomSource.ManualSeed(999); // whatever the process did since, the file must restore the generator

        var checkpoint = TrainingCheckpoint.Load(Path.Combine(folder, "last.safetensors"));
        Assert.Equal(0, checkpoint.CompletedEpoch);
        var (fresh, resumedLoader) = Setup(checkpoint.Model, null);
        var options = checkpoint.Resume(fresh.Optimizer, resumedLoader, fresh.Options);
        Assert.Equal((1, checkpoint.GlobalStep, checkpoint.BestAccuracy, 0), (options.StartEpoch, options.StartGlobalStep, options.PreviousBestAccuracy, options.PreviousBestEpoch));
        var resumed = new Trainer(checkpoint.Model, fresh.Optimizer, new CrossEntropyLoss(), options);
        resumed.Fit(resumedLoader, TrainingSetup.Blobs(12, 6));

        Assert.True(TrainingSetup.AnyDifferent(expected, TrainingSetup.Snapshot(BuildModel())), "training changed nothing");
        TrainingSetup.AssertIdentical(expected, checkpoint.Model, "resumed run");
        Assert.True(File.Exists(Path.Combine(folder, "best.safetensors")));
    }

    /// <summary>Saves the checkpoint like a real run, then stops training as a crash would.</summary>
    private sealed class StopAfterFirstEpoch(CheckpointCallback inner) : ITrainingCallback
    {
        public void OnEpochEnd(EpochReport report, TrainingContext context)
        {
            inner.OnEpochEnd(report, context);
            throw new OperationCanceledException("simulated stop after the first epoch");
        }
    }
}
