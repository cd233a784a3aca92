namespace Convolve.Training;

/// <summary>
/// Keeps a run's checkpoints in a folder after every epoch: <c>last.safetensors</c>, the full
/// training state for <c>--resume</c>, and <c>best.safetensors</c>, the model alone, rewritten
/// only when the epoch is the best so far. Both writes are atomic, and a model with NaN or
/// infinite values is refused before the disk is touched, so a good checkpoint is never replaced
/// by a broken one.
/// </summary>
public sealed class CheckpointCallback : ITrainingCallback
{
    private readonly IReadOnlyDictionary<string, string> metadata;

    /// <summary>Writes into <paramref name="directory"/> (created if missing), adding <paramref name="metadata"/> to every file.</summary>
    public CheckpointCallback(string directory, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        this.metadata = metadata ?? new Dictionary<string, string>();
    }

    /// <summary>The folder holding the checkpoints.</summary>
    public string Directory { get; }

    /// <summary>Path of the resumable training checkpoint.</summary>
    public string LastPath => Path.Combine(Directory, "last.safetensors");

    /// <summary>Path of the best model so far.</summary>
    public string BestPath => Path.Combine(Directory, "best.safetensors");

    /// <inheritdoc/>
    public void OnEpochEnd(EpochReport report, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(context);
        System.IO.Directory.CreateDirectory(Directory);
        TrainingCheckpoint.Save(LastPath, context, metadata);
        if (report.IsBest)
        {
            Models.Model.Save(BestPath, context.Model, metadata);
        }
    }
}
