using System.Text.Json;
using Convolve.Data;
using Convolve.Layers;
using Convolve.Optimizers;

namespace Convolve.Cli;

/// <summary>
/// Everything `convolve train` was asked to do, stored in every checkpoint so that
/// `--resume DIR` rebuilds the same run (optimizer, schedule, data order) exactly. The data are
/// recorded by absolute folder and by <see cref="DatasetFingerprint"/>, so a resume from any
/// working directory finds them, and notices when they changed. <see cref="Shards"/> is the
/// gradient shard count (null when not given: the number of ranks, 1 in one process).
/// </summary>
internal sealed record TrainRecipe(
    string Model, string? Data, int Epochs, int BatchSize, string Optimizer, double LearningRate, double Momentum,
    double WeightDecay, bool Nesterov, string Schedule, int StepSize, double Gamma, int Warmup, double? ClipGradNorm,
    bool Augment, ulong Seed, int? Limit, int? Shards = null)
{
    public const string MetadataKey = "recipe";

    /// <summary>The names, sizes and CRC-64s of the data files the run trains on (null in recipes of older versions).</summary>
    public DatasetFingerprint? DataFingerprint { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this);

    public static TrainRecipe FromJson(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainRecipe>(json) ?? throw new UserErrorException($"{source}: empty training recipe");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            throw new UserErrorException($"{source}: the stored training recipe is malformed ({ex.Message}); start a new run instead of --resume");
        }
    }

    /// <summary>The optimizer the recipe names, over the model's parameters.</summary>
    public Optimizer CreateOptimizer(Layer model)
    {
        var parameters = model.NamedParameters().Select(p => p.Parameter).ToList();
        return Optimizer switch
        {
            "sgd" => new Sgd(parameters, LearningRate, Momentum, weightDecay: WeightDecay, nesterov: Nesterov),
            "adam" => new Adam(parameters, LearningRate, weightDecay: WeightDecay),
            "adamw" => new AdamW(parameters, LearningRate, weightDecay: WeightDecay),
            _ => throw new UserErrorException($"--optimizer must be sgd, adam or adamw but got '{Optimizer}'"),
        };
    }

    /// <summary>Extra optimizer state per parameter value (SGD with momentum: 1; Adam and AdamW: 2), for memory estimates.</summary>
    public int OptimizerBuffers => Optimizer == "sgd" ? (Momentum > 0 ? 1 : 0) : 2;

    /// <summary>The learning-rate schedule over global steps, with optional linear warm-up.</summary>
    public LearningRateSchedule? CreateSchedule(int stepsPerEpoch)
    {
        LearningRateSchedule? schedule = Schedule switch
        {
            "none" => null,
            "step" => new StepLR(StepSize * stepsPerEpoch, Gamma),
            "cosine" => new CosineAnnealingLR(Math.Max(1, Epochs * stepsPerEpoch - Warmup)),
            _ => throw new UserErrorException($"--schedule must be none, step or cosine but got '{Schedule}'"),
        };
        if (Warmup > 0)
        {
            return new LinearWarmup(Warmup, schedule ?? new StepLR(int.MaxValue, 1));
        }
        return schedule;
    }
}
