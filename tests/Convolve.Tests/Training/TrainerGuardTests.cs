using Convolve.Data;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Optimizers;
using Convolve.Training;

namespace Convolve.Tests.Training;

/// <summary>
/// The NaN guard: a non-finite loss or gradient norm stops training before the optimizer applies
/// the step, with a message naming where, and leaves parameters and buffers bit-identical to the
/// state after the last good step.
/// </summary>
public class TrainerGuardTests
{
    private static IEnumerable<Parameter> ParametersOf(Layer model) => model.NamedParameters().Select(p => p.Parameter);

    [Fact]
    public void Nan_input_stops_before_the_update_and_restores_batchnorm_statistics()
    {
        var data = TrainingSetup.Blobs(96, 1);
        data.Images[50, 0, 1, 1] = float.NaN; // item 50 is in batch 4 (items 48–63) of an unshuffled epoch
        var model = TrainingSetup.TinyCnnWithBatchNorm(2);
        var optimizer = new Adam(ParametersOf(model), 0.01);
        var recorder = new TrainingRecorder(model);
        var trainer = new Trainer(model, optimizer, new CrossEntropyLoss(), new TrainerOptions { Epochs = 2, Callbacks = [recorder] });

        var ex = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(new DataLoader(data, 16, shuffle: false), null));

        Assert.StartsWith("training diverged in epoch 1 of 2 at step 4 of 6 (global step 4): the loss is NaN. ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the parameters are as after the last good step", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Lower the learning rate (this step's was 0.01)", ex.Message, StringComparison.Ordinal);
        Assert.Equal((0, 4, 4L, (double?)null, 0.01), (ex.Epoch, ex.StepInEpoch, ex.GlobalStep, ex.GradientNorm, ex.LearningRate));
        Assert.True(double.IsNaN(ex.Loss));
        Assert.Equal(3, recorder.Steps.Count);
        Assert.Equal(3, optimizer.StepCount);
        // The snapshot after step 3 holds the BatchNorm running statistics, which step 4's forward pass had turned to NaN.
        TrainingSetup.AssertIdentical(recorder.LastSnapshot!, model, "after the bad step");
    }

    [Fact]
    public void Huge_learning_rate_diverges_with_advice_and_keeps_the_last_good_parameters()
    {
        var model = TrainingSetup.TinyCnn(3);
        var optimizer = new Sgd(ParametersOf(model), 1e30);
        var recorder = new TrainingRecorder(model);
        var trainer = new Trainer(model, optimizer, new CrossEntropyLoss(), new TrainerOptions { Epochs = 3, Callbacks = [recorder] });

        var ex = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(new DataLoader(TrainingSetup.Blobs(48, 4), 8, seed: 5), null));

        Assert.StartsWith($"training diverged in epoch {ex.Epoch + 1} of 3 at step {ex.StepInEpoch} of 6 (global step {ex.GlobalStep}): the loss is ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Lower the learning rate (this step's was 1E+30) or clip the gradient norm.", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.GlobalStep > 1, "the first step starts from finite weights");
        Assert.Equal(ex.GlobalStep - 1, recorder.Steps.Count);
        Assert.Equal(ex.GlobalStep - 1, optimizer.StepCount);
        TrainingSetup.AssertIdentical(recorder.LastSnapshot!, model, "after the bad step");
    }

    [Theory]
    [InlineData(null, float.NaN, "NaN")]
    [InlineData(null, float.PositiveInfinity, "Infinity")]
    [InlineData(1.0, float.NegativeInfinity, "-Infinity")]
    public void Non_finite_gradient_with_a_finite_loss_is_caught_with_or_without_clipping(double? clip, float poison, string shown)
    {
        var model = TrainingSetup.TinyCnn(6);
        var poisoned = new PoisonGradient(poisonedCall: 5, poison);
        model.Add(poisoned);
        var optimizer = new Sgd(ParametersOf(model), 0.1, momentum: 0.9);
        var recorder = new TrainingRecorder(model);
        var trainer = new Trainer(model, optimizer, new CrossEntropyLoss(), new TrainerOptions { Epochs = 2, ClipGradNorm = clip, Callbacks = [recorder] });

        var ex = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(new DataLoader(TrainingSetup.Blobs(24, 7), 8), null));

        string expectedNorm = poison is float.NegativeInfinity ? "Infinity" : shown;
        Assert.Contains(
            $"training diverged in epoch 2 of 2 at step 2 of 3 (global step 5): the loss is {ex.Loss:G6} but the gradient norm is {expectedNorm} "
            + $"(the gradient of '4.scale' [1] is {shown} at element 0).", ex.Message, StringComparison.Ordinal);
        Assert.True(double.IsFinite(ex.Loss));
        Assert.False(double.IsFinite(ex.GradientNorm!.Value));
        Assert.Equal(4, optimizer.StepCount);
        TrainingSetup.AssertIdentical(recorder.LastSnapshot!, model, "after the bad step");
    }
}
