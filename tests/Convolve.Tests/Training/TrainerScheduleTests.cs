using Convolve.Data;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Optimizers;
using Convolve.Training;

namespace Convolve.Tests.Training;

/// <summary>
/// The rate each optimizer step sees equals the schedule's closed form for the step or epoch
/// number; clipping scales the applied update to the maximum norm.
/// </summary>
public class TrainerScheduleTests
{
    private static IEnumerable<Parameter> ParametersOf(Layer model) => model.NamedParameters().Select(p => p.Parameter);

    /// <summary>Three epochs of six steps (36 items in batches of 6) with the given options; returns the optimizer's recorded rates.</summary>
    private static (List<double> Rates, TrainingHistory History, TrainingRecorder Recorder) Train(
        LearningRateSchedule? schedule, ScheduleUnit unit, double baseRate)
    {
        var model = TrainingSetup.TinyCnn(1);
        var optimizer = new RecordingSgd(ParametersOf(model), baseRate);
        var recorder = new TrainingRecorder();
        var options = new TrainerOptions { Epochs = 3, Schedule = schedule, ScheduleUnit = unit, Callbacks = [recorder] };
        var trainer = new Trainer(model, optimizer, new CrossEntropyLoss(), options);
        var history = trainer.Fit(new DataLoader(TrainingSetup.Blobs(36, 2), 6, seed: 3), null);
        return (optimizer.Rates, history, recorder);
    }

    [Fact]
    public void Per_step_schedule_gives_each_step_its_closed_form_rate()
    {
        var (rates, history, recorder) = Train(new StepLR(4, 0.5), ScheduleUnit.Step, 0.2);

        // StepLR: lr(t) = 0.2 · 0.5^⌊t/4⌋ for global step t = 0, 1, …, 17.
        double[] expected = [.. Enumerable.Range(0, 18).Select(t => 0.2 * Math.Pow(0.5, t / 4))];
        Assert.Equal(expected, rates);
        Assert.Equal(expected, recorder.Steps.Select(p => p.LearningRate));
        Assert.Equal([expected[5], expected[11], expected[17]], history.Epochs.Select(e => e.LearningRate));
    }

    [Fact]
    public void Per_epoch_schedule_holds_the_epoch_rate_for_every_step_of_the_epoch()
    {
        var (rates, history, _) = Train(new CosineAnnealingLR(4), ScheduleUnit.Epoch, 0.1);

        // Cosine annealing to 0 over 4 epochs: lr(e) = 0.1 · (1 + cos(π e / 4)) / 2.
        double[] perEpoch = [0.1, 0.1 * (1 + Math.Sqrt(0.5)) / 2, 0.05];
        Assert.Equal(18, rates.Count);
        for (int t = 0; t < rates.Count; t++)
        {
            Assert.True(Math.Abs(rates[t] - perEpoch[t / 6]) <= 1e-15, $"step {t}: {rates[t]:R} but expected {perEpoch[t / 6]:R}");
        }
        Assert.Equal(rates[17], history.Epochs[2].LearningRate);
    }

    [Fact]
    public void Without_a_schedule_the_rate_is_left_alone()
    {
        var (rates, _, _) = Train(null, ScheduleUnit.Step, 0.03);
        Assert.Equal(Enumerable.Repeat(0.03, 18), rates);
    }

    [Fact]
    public void Per_step_schedule_continues_from_the_start_step_when_resuming()
    {
        var model = TrainingSetup.TinyCnn(4);
        var optimizer = new RecordingSgd(ParametersOf(model), 1.0);
        var loader = new DataLoader(TrainingSetup.Blobs(12, 5), 6);
        loader.SetState(loader.GetState() with { Epoch = 3 });
        var options = new TrainerOptions { Epochs = 5, StartEpoch = 3, StartGlobalStep = 6, Schedule = new LinearWarmup(10, new StepLR(100)) };
        new Trainer(model, optimizer, new CrossEntropyLoss(), options).Fit(loader, null);
        // Two epochs of two steps from global step 6: the warm-up rates (t + 1)/10 for t = 6..9.
        Assert.Equal([0.7, 0.8, 0.9, 1.0], optimizer.Rates, new ToleranceComparer(1e-15));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(4.0)]
    public void Clipping_scales_the_applied_gradient_to_the_maximum_norm(double fractionOfNorm)
    {
        var data = TrainingSetup.Blobs(12, 6);
        var model = TrainingSetup.TinyCnn(7);
        var twin = TrainingSetup.TinyCnn(7);
        // The raw gradient of the one step, from a twin model run by hand.
        var logits = twin.Forward(data.Images);
        var loss = new CrossEntropyLoss();
        loss.Forward(logits, data.Labels);
        twin.Backward(loss.Backward());
        var raw = twin.NamedParameters().Select(p => p.Parameter.Grad.Data).ToList();
        double norm = Math.Sqrt(raw.Sum(g => g.Sum(x => (double)x * x)));
        double maxNorm = fractionOfNorm * norm, rate = 0.5;
        var before = TrainingSetup.Snapshot(model);
        var recorder = new TrainingRecorder();

        new Trainer(model, new RecordingSgd(ParametersOf(model), rate), new CrossEntropyLoss(), new TrainerOptions { ClipGradNorm = maxNorm, Callbacks = [recorder] })
            .Fit(new DataLoader(data, 12, shuffle: false), null);

        // clip_grad_norm_: g ← g · min(1, maxNorm / (‖g‖ + 1e-6)); then p ← p − rate·g.
        double scale = Math.Min(1.0, maxNorm / (norm + 1e-6));
        var after = TrainingSetup.Snapshot(model);
        for (int p = 0; p < raw.Count; p++)
        {
            double[] expected = [.. before[p].Values.Select((v, i) => v - rate * raw[p][i] * scale)];
            Testing.TensorAssert.Close(expected, after[p].Values, 1e-6, 1e-7, before[p].Name);
        }
        Assert.Equal(norm, recorder.Steps[0].GradientNorm, 1e-9 * norm);
    }
}
