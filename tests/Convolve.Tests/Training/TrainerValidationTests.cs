using Convolve.Data;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Optimizers;
using Convolve.Training;

namespace Convolve.Tests.Training;

/// <summary>Every option and argument rule, with the option and its value in the message; nothing changes on failure.</summary>
public class TrainerValidationTests
{
    private static readonly Sequential Model = TrainingSetup.TinyCnn(1);

    private static Sgd NewOptimizer() => new(Model.NamedParameters().Select(p => p.Parameter), 0.1);

    private sealed class NoOp : ITrainingCallback
    {
        public void OnEpochEnd(EpochReport report, TrainingContext context)
        {
        }
    }

    public static TheoryData<string, string, TrainerOptions> BadOptions() => new()
    {
        { "Epochs", "TrainerOptions.Epochs must be positive but got 0", new TrainerOptions { Epochs = 0 } },
        { "ScheduleUnit", "TrainerOptions.ScheduleUnit must be Step or Epoch but got 7", new TrainerOptions { ScheduleUnit = (ScheduleUnit)7 } },
        { "ClipGradNorm", "TrainerOptions.ClipGradNorm must be a finite positive number, or null for no clipping, but got NaN", new TrainerOptions { ClipGradNorm = double.NaN } },
        { "ClipGradNorm", "but got 0", new TrainerOptions { ClipGradNorm = 0 } },
        { "ClipGradNorm", "but got -1", new TrainerOptions { ClipGradNorm = -1 } },
        { "ClipGradNorm", "but got Infinity", new TrainerOptions { ClipGradNorm = double.PositiveInfinity } },
        { "EvaluationBatchSize", "TrainerOptions.EvaluationBatchSize must be positive but got -4", new TrainerOptions { EvaluationBatchSize = -4 } },
        { "StartEpoch", "TrainerOptions.StartEpoch must be in [0, Epochs = 5] but got 6", new TrainerOptions { Epochs = 5, StartEpoch = 6 } },
        { "StartEpoch", "TrainerOptions.StartEpoch must be in [0, Epochs = 1] but got -1", new TrainerOptions { StartEpoch = -1 } },
        { "StartGlobalStep", "TrainerOptions.StartGlobalStep must be non-negative but got -3", new TrainerOptions { StartGlobalStep = -3 } },
        { "PreviousBestAccuracy", "TrainerOptions.PreviousBestAccuracy must be in [0, 1], or null, but got 1.5", new TrainerOptions { PreviousBestAccuracy = 1.5 } },
        { "Callbacks", "TrainerOptions.Callbacks must not be null", new TrainerOptions { Callbacks = null! } },
        { "Callbacks", "TrainerOptions.Callbacks entry 1 of 2 is null", new TrainerOptions { Callbacks = [new NoOp(), null!] } },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Invalid_options_are_refused_naming_the_option_and_value(string option, string message, TrainerOptions options)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Trainer(Model, NewOptimizer(), new CrossEntropyLoss(), options));
        Assert.Equal(option, ex.ParamName);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_arguments_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => new Trainer(null!, NewOptimizer(), new CrossEntropyLoss(), new TrainerOptions()));
        Assert.Throws<ArgumentNullException>(() => new Trainer(Model, null!, new CrossEntropyLoss(), new TrainerOptions()));
        Assert.Throws<ArgumentNullException>(() => new Trainer(Model, NewOptimizer(), null!, new TrainerOptions()));
        Assert.Throws<ArgumentNullException>(() => new Trainer(Model, NewOptimizer(), new CrossEntropyLoss(), null!));
        Assert.Throws<ArgumentNullException>(() => new Trainer(Model, NewOptimizer(), new CrossEntropyLoss(), new TrainerOptions()).Fit(null!, null));
    }

    [Fact]
    public void An_optimizer_over_another_models_parameters_is_refused()
    {
        var other = TrainingSetup.TinyCnn(2);
        var optimizer = new Sgd(other.NamedParameters().Select(p => p.Parameter).Skip(2), 0.1);
        var ex = Assert.Throws<ArgumentException>(() => new Trainer(Model, optimizer, new CrossEntropyLoss(), new TrainerOptions()));
        Assert.Equal("optimizer", ex.ParamName);
        Assert.Contains("optimizer parameter 0 ('weight' [3, 16]) is not a parameter of the model (Sequential)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_loader_at_another_epoch_than_the_start_is_refused_before_training()
    {
        var model = TrainingSetup.TinyCnn(3);
        var optimizer = new Sgd(model.NamedParameters().Select(p => p.Parameter), 0.1);
        var loader = new DataLoader(TrainingSetup.Blobs(12, 4), 4);
        loader.NextBatch();
        var trainer = new Trainer(model, optimizer, new CrossEntropyLoss(), new TrainerOptions { Epochs = 3, StartEpoch = 2, StartGlobalStep = 6 });
        var ex = Assert.Throws<ArgumentException>(() => trainer.Fit(loader, null));
        Assert.Contains("the training loader is at epoch 0 (batch 1 of 3) but TrainerOptions.StartEpoch is 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DataLoader.SetState", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, optimizer.StepCount);
    }

    [Fact]
    public void A_validation_set_the_model_cannot_score_is_refused_before_training()
    {
        var model = TrainingSetup.TinyCnn(5);
        var optimizer = new Sgd(model.NamedParameters().Select(p => p.Parameter), 0.1);
        var trainer = new Trainer(model, optimizer, new CrossEntropyLoss(), new TrainerOptions { EvaluationBatchSize = 8 });
        var blobs = TrainingSetup.Blobs(12, 6);
        var fiveClasses = new Dataset(blobs.Images, blobs.Labels, 5);
        var ex = Assert.Throws<ArgumentException>(() => trainer.Fit(new DataLoader(blobs, 4), fiveClasses));
        Assert.Contains("the model (Sequential) maps a batch [8, 1, 4, 4] to [8, 3] but the data set has 5 classes, so it must give [8, 5]", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, optimizer.StepCount);
    }

    [Fact]
    public void Starting_at_the_last_epoch_trains_nothing()
    {
        var model = TrainingSetup.TinyCnn(7);
        var optimizer = new Sgd(model.NamedParameters().Select(p => p.Parameter), 0.1);
        var loader = new DataLoader(TrainingSetup.Blobs(12, 8), 4);
        loader.SetState(loader.GetState() with { Epoch = 2 });
        var history = new Trainer(model, optimizer, new CrossEntropyLoss(), new TrainerOptions { Epochs = 2, StartEpoch = 2 }).Fit(loader, null);
        Assert.Empty(history.Epochs);
        Assert.Null(history.Last);
        Assert.Equal(0, optimizer.StepCount);
    }
}
