using Convolve.Optimizers;

namespace Convolve.Training;

/// <summary>
/// How a <see cref="Trainer"/> runs: the number of epochs, the learning-rate schedule, gradient
/// clipping, validation, callbacks, and where to start when resuming. Checked by the trainer's
/// constructor; every failure names the property and its value. A record, so that
/// <see cref="TrainingCheckpoint.Resume"/> can return a copy that starts where a run stopped.
/// </summary>
public sealed record TrainerOptions
{
    /// <summary>The total number of epochs; training runs epochs <see cref="StartEpoch"/> to <c>Epochs − 1</c>. At least 1.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>The learning-rate schedule applied to the optimizer's rate at construction (its base rate), or null to leave the rate alone.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Whether <see cref="Schedule"/> counts optimizer steps (default) or epochs.</summary>
    public ScheduleUnit ScheduleUnit { get; init; } = ScheduleUnit.Step;

    /// <summary>The largest total gradient L2 norm (<c>clip_grad_norm_</c>), finite and positive; null for no clipping.</summary>
    public double? ClipGradNorm { get; init; }

    /// <summary>
    /// Whether a validation set given to <see cref="Trainer.Fit"/> is evaluated after every epoch
    /// (default) or only after the last one.
    /// </summary>
    public bool EvaluateEveryEpoch { get; init; } = true;

    /// <summary>The batch size used to evaluate the validation set; positive.</summary>
    public int EvaluationBatchSize { get; init; } = 256;

    /// <summary>The epoch (0-based) to start at; the training loader must already be there (restored with <c>DataLoader.SetState</c>). In [0, <see cref="Epochs"/>].</summary>
    public int StartEpoch { get; init; }

    /// <summary>The number of optimizer steps already taken (for a per-step schedule); non-negative.</summary>
    public long StartGlobalStep { get; init; }

    /// <summary>
    /// The best accuracy of the epochs before <see cref="StartEpoch"/> (see <see cref="EpochReport.IsBest"/>),
    /// so a resumed run flags "best so far" as an uninterrupted one would; in [0, 1], or null.
    /// </summary>
    public double? PreviousBestAccuracy { get; init; }

    /// <summary>The 0-based epoch that reached <see cref="PreviousBestAccuracy"/>, when known; in [0, <see cref="StartEpoch"/>), or null.</summary>
    public int? PreviousBestEpoch { get; init; }

    /// <summary>
    /// Who computes each step's gradient and the validation scores; null (the default) for this
    /// process alone on the whole batch. Data-parallel training sets <c>Convolve.Distributed.DataParallel</c> here.
    /// </summary>
    public ITrainingWorkers? Workers { get; init; }

    /// <summary>Called after every step and every epoch, in order.</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; init; } = [];

    /// <summary>Checks every option; throws <see cref="ArgumentException"/> naming the option and its value.</summary>
    internal void Validate()
    {
        Require(Epochs > 0, nameof(Epochs), $"must be positive but got {Epochs}");
        Require(Enum.IsDefined(ScheduleUnit), nameof(ScheduleUnit), $"must be Step or Epoch but got {(int)ScheduleUnit}");
        Require(ClipGradNorm is null || (double.IsFinite(ClipGradNorm.Value) && ClipGradNorm.Value > 0), nameof(ClipGradNorm),
            $"must be a finite positive number, or null for no clipping, but got {ClipGradNorm}");
        Require(EvaluationBatchSize > 0, nameof(EvaluationBatchSize), $"must be positive but got {EvaluationBatchSize}");
        Require(StartEpoch >= 0 && StartEpoch <= Epochs, nameof(StartEpoch), $"must be in [0, Epochs = {Epochs}] but got {StartEpoch}");
        Require(StartGlobalStep >= 0, nameof(StartGlobalStep), $"must be non-negative but got {StartGlobalStep}");
        Require(PreviousBestAccuracy is null || (PreviousBestAccuracy.Value >= 0 && PreviousBestAccuracy.Value <= 1), nameof(PreviousBestAccuracy),
            $"must be in [0, 1], or null, but got {PreviousBestAccuracy}");
        Require(PreviousBestEpoch is null || (PreviousBestEpoch.Value >= 0 && PreviousBestEpoch.Value < StartEpoch), nameof(PreviousBestEpoch),
            $"must be in [0, StartEpoch = {StartEpoch}), or null, but got {PreviousBestEpoch}");
        Require(Callbacks is not null, nameof(Callbacks), "must not be null (use an empty list)");
        for (int i = 0; i < Callbacks!.Count; i++)
        {
            Require(Callbacks[i] is not null, nameof(Callbacks), $"entry {i} of {Callbacks.Count} is null");
        }
    }

    private static void Require(bool condition, string option, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"TrainerOptions.{option} {problem}", option);
        }
    }
}
