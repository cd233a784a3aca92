using Convolve.Training;

namespace Convolve.Cli;

/// <summary>
/// <c>--pause-after N</c>: stops training once the run has completed N epochs. It is the last
/// callback, so the epoch's checkpoints are written first, and the run resumes exactly from them.
/// </summary>
internal sealed class TrainingPause(int epochs) : ITrainingCallback
{
    public void OnEpochEnd(EpochReport report, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Epoch + 1 == epochs)
        {
            throw new PausedException(epochs);
        }
    }

    /// <summary>The stop, caught by the train command.</summary>
    internal sealed class PausedException(int epochs) : OperationCanceledException($"paused after epoch {epochs}")
    {
        public int Epochs { get; } = epochs;
    }
}
