using Convolve.Kernels;
using Convolve.Training;

namespace Convolve.Cli.Report;

/// <summary>
/// Records each finished epoch in the run folder's <c>history.json</c> (after the checkpoints, so a
/// recorded epoch always has them). A resumed run starts from the recorded epochs before its start.
/// </summary>
internal sealed class RunHistoryCallback(string folder, string model, int startEpoch) : ITrainingCallback
{
    private readonly List<EpochRecord> epochs = RunHistory.TryLoad(folder)?.Epochs.Where(e => e.Epoch <= startEpoch).ToList() ?? [];

    /// <summary>The run so far.</summary>
    public RunHistory History => new(model, Parallelism.MaxThreads, Simd.Level.ToString(), epochs);

    public void OnEpochEnd(EpochReport report, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(report);
        epochs.Add(new EpochRecord(report.Epoch + 1, report.GlobalStep, report.TrainLoss, report.TrainAccuracy, report.ValidationLoss,
            report.ValidationAccuracy, report.LearningRate, report.WallSeconds, report.ImagesPerSecond, report.IsBest));
        Directory.CreateDirectory(folder);
        History.Save(folder);
    }
}
