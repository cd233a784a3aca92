namespace Convolve.Training;

/// <summary>What the step number of a <see cref="Optimizers.LearningRateSchedule"/> counts.</summary>
public enum ScheduleUnit
{
    /// <summary>Optimizer steps: the rate for global step t (0-based) is <c>schedule(t)</c>.</summary>
    Step,

    /// <summary>Epochs: every step of epoch e (0-based) uses <c>schedule(e)</c>, as a PyTorch scheduler stepped once per epoch.</summary>
    Epoch,
}
