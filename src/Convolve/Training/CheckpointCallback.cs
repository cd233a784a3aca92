using Convolve.Data;
using Convolve.Serialization;

namespace Convolve.Training;

/// <summary>
/// Keeps a run's checkpoints in a folder after every epoch: <c>last.safetensors</c>, the full
/// training state for a resume, and <c>best.safetensors</c>, the model alone, rewritten only
/// when the epoch is the best so far. Both writes are atomic, and a model with NaN or infinite
/// values is refused before the disk is touched, so a good checkpoint is never replaced by a
/// broken one. Both files carry the run's id; <c>last</c> records the best epoch and <c>best</c>
/// its own epoch. <c>last</c> is written first, so a crash between the two writes leaves a
/// <c>last</c> whose best epoch is its own epoch and whose model is therefore the best one:
/// <see cref="Recover"/> rewrites <c>best</c> from it, and then the two agree again.
/// </summary>
public sealed class CheckpointCallback : ITrainingCallback
{
    /// <summary>Metadata key of the run's id, shared by <c>last</c> and <c>best</c> (a resumed run keeps it).</summary>
    public const string RunIdKey = "run_id";

    /// <summary>Metadata key, in <c>best.safetensors</c>, of the score that made it the best.</summary>
    public const string AccuracyKey = "accuracy";

    private readonly Dictionary<string, string> metadata;
    private readonly InputNormalization? normalization;

    /// <summary>
    /// Writes into <paramref name="directory"/> (created if missing), adding <paramref name="metadata"/>
    /// and <paramref name="normalization"/> to every file. The run's id is <paramref name="metadata"/>'s
    /// <see cref="RunIdKey"/> when present (pass the resumed checkpoint's), else a new one.
    /// </summary>
    public CheckpointCallback(string directory, IReadOnlyDictionary<string, string>? metadata = null, InputNormalization? normalization = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        this.metadata = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        this.metadata.TryAdd(RunIdKey, Guid.NewGuid().ToString("N"));
        this.normalization = normalization;
    }

    /// <summary>The folder holding the checkpoints.</summary>
    public string Directory { get; }

    /// <summary>The run's id, written into both files.</summary>
    public string RunId => metadata[RunIdKey];

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
        var last = TrainingCheckpoint.MetadataFor(context, metadata, normalization);
        TrainingCheckpoint.Write(LastPath, context, last);
        if (report.IsBest)
        {
            Models.Model.Save(BestPath, context.Model, BestFromLast(last));
        }
    }

    /// <summary>
    /// Makes <c>best.safetensors</c> agree with <c>last.safetensors</c> after a crash between their
    /// writes: when <c>best</c> is missing, unreadable, from another run or from another epoch than
    /// the best one <c>last</c> records, and that best epoch is <c>last</c>'s own, <c>best</c> is
    /// rewritten from <c>last</c>'s model (the bytes the interrupted write would have produced).
    /// Returns what was done or found, or null when the folder was consistent (or holds no run).
    /// </summary>
    /// <exception cref="CheckpointFormatException"><c>last.safetensors</c> is damaged.</exception>
    public string? Recover()
    {
        if (!File.Exists(LastPath))
        {
            return null;
        }
        var last = TrainingCheckpoint.Load(LastPath);
        if (last.BestEpoch is not int bestEpoch || IsBestOf(last, bestEpoch))
        {
            return null;
        }
        if (bestEpoch != last.CompletedEpoch)
        {
            return $"{BestPath} does not hold epoch {bestEpoch + 1}, the best of the run in {LastPath}, and cannot be rebuilt from it (was it replaced or deleted?)";
        }
        Models.Model.Save(BestPath, last.Model, BestFromLast(last.Metadata));
        return $"rewrote {BestPath} from {LastPath}: the run had stopped between writing the two (epoch {bestEpoch + 1} was its best)";
    }

    private bool IsBestOf(TrainingCheckpoint last, int bestEpoch)
    {
        if (!File.Exists(BestPath))
        {
            return false;
        }
        var best = CheckpointInspector.Inspect(BestPath);
        return best.IsValid
            && best.Metadata.GetValueOrDefault(RunIdKey) == last.Metadata.GetValueOrDefault(RunIdKey)
            && best.Metadata.GetValueOrDefault(TrainingState.EpochKey) == bestEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The metadata of the best model, derived from the <c>last</c> checkpoint that made it best.</summary>
    private static Dictionary<string, string> BestFromLast(IReadOnlyDictionary<string, string> last)
    {
        string[] trainingOnly =
        [
            Models.Model.KindKey, Models.Model.ArchitectureKey, CheckpointFormat.FormatKey, CheckpointFormat.VersionKey, CheckpointFormat.ChecksumsKey,
            TrainingState.EpochKey, TrainingState.GlobalStepKey, TrainingState.BestAccuracyKey, TrainingState.BestEpochKey,
            TrainingState.LoaderStateKey, TrainingState.GlobalRandomStateKey,
        ];
        var best = last.Where(p => !trainingOnly.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        best[TrainingState.EpochKey] = last[TrainingState.BestEpochKey];
        best[AccuracyKey] = last[TrainingState.BestAccuracyKey];
        return best;
    }
}
