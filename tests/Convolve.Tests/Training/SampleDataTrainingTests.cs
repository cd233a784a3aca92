using System.Diagnostics;
using Convolve.Data;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Optimizers;
using Convolve.Tensors;
using Convolve.Training;
using Xunit.Abstractions;

namespace Convolve.Tests.Training;

/// <summary>Real data: one short epoch of a small CNN on the bundled Fashion-MNIST sample.</summary>
public class SampleDataTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void One_short_epoch_of_a_small_cnn_is_clearly_better_than_chance()
    {
        var files = DatasetLocator.TryFind(DatasetLocator.SampleDirectory, DatasetSource.Sample)
            ?? throw new InvalidOperationException($"the bundled sample is missing from {DatasetLocator.SampleDirectory}");
        var train = files.LoadTrain();
        var test = files.LoadTest();
        var (mean, std) = train.ComputeMeanStd();
        train.Normalize(mean, std);
        test.Normalize(mean, std);
        var model = new Sequential(
            new Conv2d(1, 8, 5, random: new RandomSource(1)), new ReLU(), new MaxPool2d(2),
            new Conv2d(8, 16, 5, random: new RandomSource(2)), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Linear(256, 10, random: new RandomSource(3)));
        var optimizer = new Adam(model.NamedParameters().Select(p => p.Parameter), 2e-3);
        var trainer = new Trainer(model, optimizer, new CrossEntropyLoss(), new TrainerOptions { Epochs = 1 });

        var clock = Stopwatch.StartNew();
        var report = trainer.Fit(new DataLoader(train, 32, seed: 4), test).Epochs.Single();
        clock.Stop();

        output.WriteLine($"{train.Count} training images at {report.ImagesPerSecond:F0} images/s; test accuracy {report.ValidationAccuracy:P1}, "
            + $"loss {report.ValidationLoss:F3}; {clock.Elapsed.TotalSeconds:F1} s with evaluation");
        // Chance is 10% (ten balanced classes); a working pipeline is far above it after one epoch.
        Assert.True(report.ValidationAccuracy >= 0.65, $"test accuracy {report.ValidationAccuracy:P1} after one epoch is below 65%");
        Assert.True(report.ValidationLoss < 1.2, $"test loss {report.ValidationLoss} is not below 1.2 (chance: ln 10 ≈ 2.30)");
    }
}
