using Convolve.Data;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Optimizers;
using Convolve.Training;

namespace Convolve.Tests.Training;

/// <summary>The trainer learns, is deterministic, resumes exactly, and reports consistent counters.</summary>
public class TrainerLearningTests
{
    private static Trainer NewTrainer(Layer model, Optimizer optimizer, TrainerOptions options) =>
        new(model, optimizer, new CrossEntropyLoss(), options);

    [Fact]
    public void Tiny_cnn_learns_separable_blobs()
    {
        var model = TrainingSetup.TinyCnn(1);
        var trainer = NewTrainer(model, new Sgd(model.NamedParameters().Select(p => p.Parameter), 0.1, momentum: 0.9), new TrainerOptions { Epochs = 6 });

        var history = trainer.Fit(new DataLoader(TrainingSetup.Blobs(96, 2), 16, seed: 3), TrainingSetup.Blobs(48, 4));

        Assert.Equal(6, history.Epochs.Count);
        var (first, last) = (history.Epochs[0], history.Epochs[^1]);
        // Chance is 1/3 and ln 3 ≈ 1.10; the blocks are 5σ apart, so a working trainer separates them.
        Assert.True(last.TrainLoss < 0.5 * first.TrainLoss, $"training loss fell only from {first.TrainLoss} to {last.TrainLoss}");
        Assert.True(last.ValidationAccuracy >= 0.95, $"validation accuracy {last.ValidationAccuracy} is below 0.95");
        Assert.True(last.ValidationLoss < 0.3, $"validation loss {last.ValidationLoss} is not below 0.3");
    }

    private static List<(string Name, float[] Values)> TrainWithSeeds(ulong modelSeed, ulong loaderSeed)
    {
        var model = TrainingSetup.TinyCnnWithBatchNorm(modelSeed);
        var optimizer = new Adam(model.NamedParameters().Select(p => p.Parameter), 0.01);
        var loader = new DataLoader(TrainingSetup.Blobs(60, 5), 8, seed: loaderSeed, augment: new Augmentation(cropPadding: 1, horizontalFlip: true));
        NewTrainer(model, optimizer, new TrainerOptions { Epochs = 3, ClipGradNorm = 1.0 }).Fit(loader, TrainingSetup.Blobs(12, 6));
        return TrainingSetup.Snapshot(model);
    }

    [Fact]
    public void Training_twice_with_the_same_seeds_gives_bit_identical_weights()
    {
        var first = TrainWithSeeds(7, 8);
        var second = TrainWithSeeds(7, 8);
        var otherShuffle = TrainWithSeeds(7, 9);

        Assert.Equal(9, first.Count); // 6 parameters and 3 BatchNorm buffers
        for (int i = 0; i < first.Count; i++)
        {
            Testing.TensorAssert.Identical(first[i].Values, second[i].Values, first[i].Name);
        }
        Assert.True(TrainingSetup.AnyDifferent(first, otherShuffle), "another loader seed should change the weights, or the comparison proves nothing");
    }

    private sealed record Checkpoint(List<(string Name, float[] Values)> Model, IReadOnlyDictionary<string, Convolve.Tensors.Tensor> Optimizer,
        DataLoaderState Loader, long GlobalStep, double? BestAccuracy);

    private sealed class CheckpointAfterEpoch(int epoch) : ITrainingCallback
    {
        public Checkpoint? Saved { get; private set; }

        public void OnEpochEnd(EpochReport report, TrainingContext context)
        {
            if (report.Epoch == epoch)
            {
                Saved = new(TrainingSetup.Snapshot(context.Model), context.Optimizer.State(), context.GetLoaderState(), context.GlobalStep, context.BestAccuracy);
            }
        }
    }

    private static (Sequential Model, Adam Optimizer, DataLoader Loader) Fresh()
    {
        // No dropout: a Dropout's generator state is not part of the model's state dict, so it could not be restored.
        var model = TrainingSetup.TinyCnnWithBatchNorm(11, dropout: false);
        var optimizer = new Adam(model.NamedParameters().Select(p => p.Parameter), 0.02);
        // 50 items in batches of 8: a short last batch, 7 steps per epoch.
        var loader = new DataLoader(TrainingSetup.Blobs(50, 12), 8, seed: 13, augment: new Augmentation(cropPadding: 1));
        return (model, optimizer, loader);
    }

    [Fact]
    public void Resuming_from_an_epoch_end_checkpoint_matches_an_uninterrupted_run_bit_for_bit()
    {
        var schedule = new LinearWarmup(5, new CosineAnnealingLR(16));
        var validation = TrainingSetup.Blobs(12, 14);
        var (model, optimizer, loader) = Fresh();
        var checkpoint = new CheckpointAfterEpoch(1);
        var straight = NewTrainer(model, optimizer, new TrainerOptions { Epochs = 4, Schedule = schedule, Callbacks = [checkpoint] }).Fit(loader, validation);

        var (resumedModel, resumedOptimizer, resumedLoader) = Fresh();
        var saved = checkpoint.Saved!;
        foreach (var ((_, values), (_, parameter)) in saved.Model.Take(6).Zip(resumedModel.NamedParameters()))
        {
            parameter.Load(values);
        }
        foreach (var ((_, values), (_, buffer)) in saved.Model.Skip(6).Zip(resumedModel.NamedBuffers()))
        {
            values.CopyTo(buffer.Span);
        }
        resumedOptimizer.LoadState(saved.Optimizer);
        resumedLoader.SetState(saved.Loader);
        var options = new TrainerOptions
        {
            Epochs = 4, Schedule = schedule, StartEpoch = 2, StartGlobalStep = saved.GlobalStep, PreviousBestAccuracy = saved.BestAccuracy,
        };
        var resumed = NewTrainer(resumedModel, resumedOptimizer, options).Fit(resumedLoader, validation);

        Assert.Equal(14, saved.GlobalStep);
        TrainingSetup.AssertIdentical(TrainingSetup.Snapshot(model), resumedModel, "resumed");
        Assert.Equal(straight.Epochs.Skip(2).Select(e => (e.Epoch, e.GlobalStep, e.TrainLoss, e.ValidationLoss, e.LearningRate, e.IsBest)),
            resumed.Epochs.Select(e => (e.Epoch, e.GlobalStep, e.TrainLoss, e.ValidationLoss, e.LearningRate, e.IsBest)));
    }

    [Fact]
    public void Progress_is_reported_after_every_step_with_consistent_counters_and_means()
    {
        var model = TrainingSetup.TinyCnn(15);
        var recorder = new TrainingRecorder();
        var optimizer = new Sgd(model.NamedParameters().Select(p => p.Parameter), 0.05);
        // 100 items in batches of 16: six full batches and one of 4.
        var history = NewTrainer(model, optimizer, new TrainerOptions { Epochs = 2, Callbacks = [recorder] })
            .Fit(new DataLoader(TrainingSetup.Blobs(100, 16), 16, seed: 17), null, recorder);

        Assert.Equal(recorder.Steps, recorder.Reported);
        Assert.Equal([.. Enumerable.Range(1, 7).Select(s => $"step {s}"), "epoch 0", .. Enumerable.Range(8, 7).Select(s => $"step {s}"), "epoch 1"], recorder.Events);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 5, 6, 7], recorder.Steps.Select(p => p.StepInEpoch));
        Assert.Equal(Enumerable.Range(1, 14).Select(s => (long)s), recorder.Steps.Select(p => p.GlobalStep));
        Assert.All(recorder.Steps, p => Assert.True(p.StepsPerEpoch == 7 && p.Epochs == 2 && p.ImagesPerSecond > 0 && p.LearningRate == 0.05 && p.GradientNorm > 0));
        Assert.Equal(TimeSpan.Zero, recorder.Steps[6].EpochRemaining);
        int[] batchSizes = [16, 16, 16, 16, 16, 16, 4];
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var steps = recorder.Steps.Skip(7 * epoch).Take(7).ToList();
            double expectedMean = steps.Zip(batchSizes).Sum(s => s.First.Loss * s.Second) / 100;
            Assert.Equal(expectedMean, steps[^1].MeanLoss, 12);
            Assert.Equal(steps[^1].MeanLoss, history.Epochs[epoch].TrainLoss);
            Assert.Equal(steps[^1].Accuracy, history.Epochs[epoch].TrainAccuracy);
            Assert.Equal(7L * (epoch + 1), history.Epochs[epoch].GlobalStep);
            Assert.Null(history.Epochs[epoch].ValidationAccuracy);
            Assert.True(history.Epochs[epoch].WallSeconds > 0 && history.Epochs[epoch].ImagesPerSecond > 0);
        }
        Assert.Equal(14, optimizer.StepCount);
    }

    [Fact]
    public void Best_flag_compares_with_earlier_epochs_and_the_previous_best()
    {
        var model = TrainingSetup.TinyCnn(18);
        var optimizer = new Sgd(model.NamedParameters().Select(p => p.Parameter), 0.1, momentum: 0.9);
        var history = NewTrainer(model, optimizer, new TrainerOptions { Epochs = 3 }).Fit(new DataLoader(TrainingSetup.Blobs(48, 19), 8, seed: 20), TrainingSetup.Blobs(30, 21));
        double best = -1;
        foreach (var report in history.Epochs)
        {
            Assert.Equal(report.ValidationAccuracy > best, report.IsBest);
            best = Math.Max(best, report.ValidationAccuracy!.Value);
        }
        Assert.True(history.Epochs[0].IsBest);
        Assert.Same(history.Epochs.Last(e => e.IsBest), history.Best);

        var unbeatable = NewTrainer(model, optimizer, new TrainerOptions { Epochs = 2, PreviousBestAccuracy = 1.0 })
            .Fit(new DataLoader(TrainingSetup.Blobs(48, 19), 8, seed: 20), TrainingSetup.Blobs(30, 21));
        Assert.All(unbeatable.Epochs, e => Assert.False(e.IsBest));
        Assert.Null(unbeatable.Best);
    }

    [Fact]
    public void Validation_only_after_the_last_epoch_when_not_every_epoch()
    {
        var model = TrainingSetup.TinyCnn(22);
        var history = NewTrainer(model, new Sgd(model.NamedParameters().Select(p => p.Parameter), 0.05), new TrainerOptions { Epochs = 3, EvaluateEveryEpoch = false })
            .Fit(new DataLoader(TrainingSetup.Blobs(24, 23), 8), TrainingSetup.Blobs(9, 24));
        Assert.Equal([false, false, true], history.Epochs.Select(e => e.ValidationAccuracy.HasValue));
        Assert.True(model.IsTraining, "the model is back in training mode after evaluation");
    }

    [Fact]
    public void Cancellation_stops_before_the_next_step()
    {
        var model = TrainingSetup.TinyCnn(25);
        var optimizer = new Sgd(model.NamedParameters().Select(p => p.Parameter), 0.05);
        using var source = new CancellationTokenSource();
        var recorder = new TrainingRecorder { OnEachStep = (p, _) => { if (p.GlobalStep == 3) { source.Cancel(); } } };
        var loader = new DataLoader(TrainingSetup.Blobs(48, 26), 8);
        Assert.Throws<OperationCanceledException>(() =>
            NewTrainer(model, optimizer, new TrainerOptions { Epochs = 2, Callbacks = [recorder] }).Fit(loader, null, null, source.Token));
        Assert.Equal(3, optimizer.StepCount);
        Assert.Equal(3, loader.Position);
    }
}
