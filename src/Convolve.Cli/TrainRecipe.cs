using System.Text.Json;
using Convolve.Data;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Optimizers;
using Convolve.Onnx;
using Convolve.Tensors;

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

    /// <summary>The model file (ONNX or checkpoint, absolute path) a fine-tuning run starts from, with its head replaced; null for a zoo model.</summary>
    public string? From { get; init; }

    /// <summary>The layer up to which (inclusive) a fine-tuning run keeps the parameters as they are; null trains all.</summary>
    public string? FreezeUntil { get; init; }

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
        List<Parameter> parameters;
        try
        {
            parameters = [.. FineTuning.Trainable(model, FreezeUntil)];
        }
        catch (ArgumentException ex)
        {
            throw new UserErrorException($"--freeze-until {FreezeUntil}: {ex.Message}");
        }
        return Optimizer switch
        {
            "sgd" => new Sgd(parameters, LearningRate, Momentum, weightDecay: WeightDecay, nesterov: Nesterov),
            "adam" => new Adam(parameters, LearningRate, weightDecay: WeightDecay),
            "adamw" => new AdamW(parameters, LearningRate, weightDecay: WeightDecay),
            _ => throw new UserErrorException($"--optimizer must be sgd, adam or adamw but got '{Optimizer}'"),
        };
    }

    /// <summary>
    /// The network a new run trains: the zoo model, or with <see cref="From"/> the model in that file
    /// (ONNX or checkpoint) with its classifier head replaced for <paramref name="classes"/>; it must
    /// take the data's images of <paramref name="item"/>.
    /// </summary>
    public Layer CreateModel(Shape item, int classes, RandomSource? random = null)
    {
        if (From is null)
        {
            return ModelZoo.Create(Model, item[0], classes, item[^1], random);
        }
        Layer loaded;
        try
        {
            loaded = From.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? OnnxImporter.Load(From).Model : Convolve.Models.Model.Load(From);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidDataException)
        {
            throw new UserErrorException($"--from {From}: {ex.Message}");
        }
        try
        {
            loaded.OutputShape(new Shape([2, .. item.Dimensions]));
            return FineTuning.ReplaceHead(loaded, classes, random);
        }
        catch (ArgumentException ex)
        {
            throw new UserErrorException($"--from {From}: the model cannot be fine-tuned on images {item}: {ex.Message}");
        }
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
