using Convolve.Layers;
using Convolve.Training;

namespace Convolve.Tests.Training;

/// <summary>
/// Records what the trainer reports, in order, through both the callback and the progress sink,
/// and optionally a snapshot of the model after every step (to check the NaN guard).
/// </summary>
internal sealed class TrainingRecorder(Layer? snapshotModel = null) : ITrainingCallback, IProgress<TrainingProgress>
{
    public List<TrainingProgress> Steps { get; } = [];

    public List<TrainingProgress> Reported { get; } = [];

    public List<EpochReport> Epochs { get; } = [];

    public List<string> Events { get; } = [];

    public List<(string Name, float[] Values)>? LastSnapshot { get; private set; } =
        snapshotModel is null ? null : TrainingSetup.Snapshot(snapshotModel);

    public Action<TrainingProgress, TrainingContext>? OnEachStep { get; init; }

    public void OnStep(TrainingProgress progress, TrainingContext context)
    {
        Steps.Add(progress);
        Events.Add($"step {progress.GlobalStep}");
        if (snapshotModel is not null)
        {
            LastSnapshot = TrainingSetup.Snapshot(snapshotModel);
        }
        OnEachStep?.Invoke(progress, context);
    }

    public void OnEpochEnd(EpochReport report, TrainingContext context)
    {
        Epochs.Add(report);
        Events.Add($"epoch {report.Epoch}");
    }

    public void Report(TrainingProgress value) => Reported.Add(value);
}
