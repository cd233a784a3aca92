using System.Globalization;
using System.Text.Json;
using Convolve.Data;
using Convolve.Layers;
using Convolve.Optimizers;
using Convolve.Serialization;
using Convolve.Tensors;

namespace Convolve.Training;

/// <summary>
/// The run state a training checkpoint records, read and checked in full when it is loaded, so
/// that nothing it holds is refused later (by <see cref="Optimizer.LoadState"/> or
/// <see cref="DataLoader.SetState"/>) without the file's name: every problem is a
/// <see cref="CheckpointFormatException"/> naming the file and the entry.
/// </summary>
internal sealed record TrainingState(int Epoch, long GlobalStep, double? BestAccuracy, int? BestEpoch, DataLoaderState Loader, ulong[] GlobalRandom)
{
    public const string Kind = "training";
    public const string EpochKey = "epoch";
    public const string GlobalStepKey = "global_step";
    public const string BestAccuracyKey = "best_accuracy";
    public const string BestEpochKey = "best_epoch";
    public const string LoaderStateKey = "loader_state";
    public const string GlobalRandomStateKey = "global_random_state";
    public const string None = "none";

    /// <summary>Reads the counters and generator states from the metadata.</summary>
    public static TrainingState Read(IReadOnlyDictionary<string, string> metadata, string source)
    {
        var reader = new Entries(metadata, source);
        int epoch = (int)reader.Whole(EpochKey, int.MaxValue - 1);
        long step = reader.Whole(GlobalStepKey, int.MaxValue);
        double? best = reader.Optional(BestAccuracyKey, text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0 && v <= 1 ? v : (double?)null, "a number in [0, 1]");
        int? bestEpoch = metadata.ContainsKey(BestEpochKey)
            ? reader.Optional(BestEpochKey, text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v <= epoch ? v : (int?)null, $"a whole number in [0, {epoch}]")
            : null;
        if (best is null && bestEpoch is not null)
        {
            throw reader.Error(BestEpochKey, $"is {bestEpoch} but {BestAccuracyKey} is none");
        }
        var loader = reader.Json<DataLoaderState>(LoaderStateKey);
        CheckLoader(loader, epoch, reader);
        ulong[] random = reader.Json<ulong[]>(GlobalRandomStateKey);
        reader.Generator(GlobalRandomStateKey, random);
        return new TrainingState(epoch, step, best, bestEpoch, loader, random);
    }

    /// <summary>The <c>optimizer.*</c> tensors as optimizer state: F32, finite, <c>step</c> a whole count, the rest shaped like their parameter.</summary>
    public static Dictionary<string, Tensor> ReadOptimizer(Checkpoint checkpoint, Layer model, string source)
    {
        var parameters = model.NamedParameters().Select(p => p.Parameter).ToList();
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var tensor in checkpoint.Tensors.Where(t => t.Name.StartsWith(Models.Model.OptimizerPrefix, StringComparison.Ordinal)))
        {
            string name = tensor.Name[Models.Model.OptimizerPrefix.Length..];
            Shape expected = ExpectedShape(name, parameters, tensor, source);
            if (tensor.DType != TensorDType.F32 || tensor.Shape != expected)
            {
                throw new CheckpointFormatException($"{source}: optimizer state '{tensor.Name}' is {tensor.DType.HeaderName()} {tensor.Shape} but must be F32 {expected}");
            }
            Models.ModelState.RequireFinite(tensor, source);
            state[name] = tensor.ToTensor();
        }
        if (!state.TryGetValue(Optimizer.StepStateName, out Tensor? step))
        {
            throw new CheckpointFormatException($"{source}: the optimizer state has no '{Models.Model.OptimizerPrefix}{Optimizer.StepStateName}'");
        }
        float count = step.Data[0];
        if (!(count >= 0 && count <= Optimizer.MaxStepCount) || count != MathF.Floor(count))
        {
            throw new CheckpointFormatException($"{source}: optimizer state '{Models.Model.OptimizerPrefix}{Optimizer.StepStateName}' is {count} but must be a whole number in [0, {Optimizer.MaxStepCount}]");
        }
        return state;
    }

    private static Shape ExpectedShape(string name, List<Parameter> parameters, TensorData tensor, string source)
    {
        if (name == Optimizer.StepStateName)
        {
            return new Shape(1);
        }
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && int.TryParse(name.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < parameters.Count && dot < name.Length - 1)
        {
            return parameters[index].Shape;
        }
        throw new CheckpointFormatException(
            $"{source}: optimizer state '{tensor.Name}' is neither '{Models.Model.OptimizerPrefix}{Optimizer.StepStateName}' nor '{Models.Model.OptimizerPrefix}INDEX.KEY' with INDEX one of the model's {parameters.Count} parameters");
    }

    private static void CheckLoader(DataLoaderState loader, int epoch, Entries reader)
    {
        if (loader.Count <= 0 || loader.BatchSize <= 0)
        {
            throw reader.Error(LoaderStateKey, $"has {loader.Count} items in batches of {loader.BatchSize}; both must be positive");
        }
        long batches = ((long)loader.Count + loader.BatchSize - 1) / loader.BatchSize;
        if (loader.Epoch != epoch + 1 || loader.Position < 0 || loader.Position >= batches)
        {
            throw reader.Error(LoaderStateKey, $"is at epoch {loader.Epoch}, batch {loader.Position} of {batches}, but a checkpoint after epoch {epoch} must be at the start of epoch {epoch + 1}");
        }
        reader.Generator($"{LoaderStateKey}.ShuffleState", loader.ShuffleState);
        reader.Generator($"{LoaderStateKey}.AugmentState", loader.AugmentState);
    }

    /// <summary>Typed reads of metadata entries, each failure naming the file and the key.</summary>
    private sealed class Entries(IReadOnlyDictionary<string, string> metadata, string source)
    {
        public string Required(string key) =>
            metadata.TryGetValue(key, out string? value) ? value : throw new CheckpointFormatException($"{source}: training checkpoint lacks metadata '{key}'");

        public long Whole(string key, long max)
        {
            string text = Required(key);
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value <= max
                ? value
                : throw Error(key, $"is \"{Shown(text)}\" but must be a whole number in [0, {max}]");
        }

        public T? Optional<T>(string key, Func<string, T?> parse, string expected)
            where T : struct
        {
            string text = Required(key);
            return text == None ? null : parse(text) ?? throw Error(key, $"is \"{Shown(text)}\" but must be \"{None}\" or {expected}");
        }

        public T Json<T>(string key)
            where T : class
        {
            string text = Required(key);
            try
            {
                return JsonSerializer.Deserialize<T>(text) ?? throw Error(key, "is null");
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException)
            {
                throw Error(key, $"is not valid: {ex.Message}");
            }
        }

        public void Generator(string key, ulong[]? words)
        {
            try
            {
                new RandomSource(0).SetState(words ?? throw new ArgumentException("the state is missing"));
            }
            catch (ArgumentException ex)
            {
                throw Error(key, $"is not a generator state: {ExceptionReason.Of(ex)}");
            }
        }

        public CheckpointFormatException Error(string key, string problem) => new($"{source}: metadata '{key}' {problem}");

        private static string Shown(string text) => text.Length <= 40 ? text : text[..40] + "…";
    }
}
