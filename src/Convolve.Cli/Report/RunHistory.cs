using System.Text.Json;
using System.Text.Json.Serialization;
using Convolve.Imaging;
using Convolve.Serialization;

namespace Convolve.Cli.Report;

/// <summary>One epoch of a run as <c>history.json</c> keeps it (epochs counted from 1).</summary>
internal sealed record EpochRecord(
    int Epoch, long GlobalStep, double TrainLoss, double TrainAccuracy, double? TestLoss, double? TestAccuracy,
    double LearningRate, double Seconds, double ImagesPerSecond, bool Best);

/// <summary>
/// A run's epochs and where they ran, kept as <c>history.json</c> beside the checkpoints so that
/// <c>convolve report RUN_DIR</c> can draw the curves again; a resumed run keeps the epochs before
/// its start and appends its own.
/// </summary>
internal sealed record RunHistory(string Model, int Threads, string Simd, IReadOnlyList<EpochRecord> Epochs)
{
    public const string FileName = "history.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The history in <paramref name="folder"/>.</summary>
    /// <exception cref="UserErrorException">The file is missing or malformed.</exception>
    public static RunHistory Load(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new UserErrorException($"{path} not found: the folder holds no run recorded by convolve train (history.json is written after each epoch)");
        }
        try
        {
            return JsonSerializer.Deserialize<RunHistory>(File.ReadAllText(path), Json) is { Epochs: not null } history
                ? history
                : throw new UserErrorException($"{path}: empty or without epochs");
        }
        catch (JsonException ex)
        {
            throw new UserErrorException($"{path}: not a run history ({ex.Message.ReplaceLineEndings(" ")})");
        }
    }

    /// <summary>The history in <paramref name="folder"/> if there is a readable one, else null.</summary>
    public static RunHistory? TryLoad(string folder)
    {
        try
        {
            return File.Exists(Path.Combine(folder, FileName)) ? Load(folder) : null;
        }
        catch (UserErrorException)
        {
            return null;
        }
    }

    /// <summary>Writes the history atomically.</summary>
    public void Save(string folder) => AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json));
}
