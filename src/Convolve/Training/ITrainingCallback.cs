namespace Convolve.Training;

/// <summary>
/// Hooks called by <see cref="Trainer.Fit"/> on the training thread: after every successful
/// optimizer step and after every epoch (once its validation is done). The
/// <see cref="TrainingContext"/> gives what a checkpoint needs. An exception thrown here stops training.
/// </summary>
public interface ITrainingCallback
{
    /// <summary>After an optimizer step; the default does nothing.</summary>
    void OnStep(TrainingProgress progress, TrainingContext context)
    {
    }

    /// <summary>After an epoch, with its report (already in <see cref="TrainingContext.History"/>).</summary>
    void OnEpochEnd(EpochReport report, TrainingContext context);
}
