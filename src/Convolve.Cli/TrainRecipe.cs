using System.Text.Json;
using Convolve.Layers;
using Convolve.Optimizers;

namespace Convolve.Cli;

/// <summary>
/// Everything `convolve train` was asked to do, stored in every checkpoint so that
/// `--resume DIR` rebuilds the same run (optimizer, schedule, data order) exactly. <see cref="Shards"/>
/// is the gradient shard count (null when not given: the number of ranks, 1 in one process).
/// </summary>
internal sealed record TrainRecipe(
    string Model, string? Data, int Epochs, int BatchSize, string Optimizer, double LearningRate, double Momentum,
    double WeightDecay, bool Nesterov, string Schedule, int StepSize, double Gamma, int Warmup, double? ClipGradNorm,
    bool Augment, ulong Seed, int? Limit, int? Shards = null)
{
    public const string MetadataKey = "recipe";

    public string ToJson() => JsonSerializer.Serialize(this);

    public static TrainRecipe FromJson(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainRecipe>(json) ?? throw new UserErrorException($"{source}: empty training recipe");
        }
        catch (JsonException ex)
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
