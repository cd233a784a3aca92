namespace Convolve.Training;

/// <summary>The epoch reports of one <see cref="Trainer.Fit"/> run, in order.</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochReport> epochs = [];

    /// <summary>Every completed epoch's report.</summary>
    public IReadOnlyList<EpochReport> Epochs => epochs;

    /// <summary>The most recent epoch flagged <see cref="EpochReport.IsBest"/>, or null.</summary>
    public EpochReport? Best => epochs.FindLast(report => report.IsBest);

    /// <summary>The last completed epoch, or null before the first ends.</summary>
    public EpochReport? Last => epochs.Count == 0 ? null : epochs[^1];

    internal void Add(EpochReport report) => epochs.Add(report);
}
