using System.Globalization;
using System.Text.Json;
using Convolve.Data;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Serialization;
using Convolve.Tensors;

namespace Convolve.Training;

/// <summary>
/// Everything needed to continue a training run exactly: the model (architecture and state),
/// the optimizer's state (tensors named <c>optimizer.*</c>), the data loader's shuffle position
/// and generators, the global generator (dropout masks), the epoch just completed, the global
/// step and the best accuracy so far. Written atomically with <see cref="CheckpointWriter"/>.
/// </summary>
public sealed class TrainingCheckpoint
{
    private TrainingCheckpoint(Layer model, IReadOnlyDictionary<string, Tensor> optimizerState, DataLoaderState loaderState,
        ulong[] globalRandomState, int completedEpoch, long globalStep, double? bestAccuracy, IReadOnlyDictionary<string, string> metadata)
    {
        Model = model;
        OptimizerState = optimizerState;
        LoaderState = loaderState;
        GlobalRandomState = globalRandomState;
        CompletedEpoch = completedEpoch;
        GlobalStep = globalStep;
        BestAccuracy = bestAccuracy;
        Metadata = metadata;
    }

    /// <summary>The model, rebuilt from its architecture with the saved weights and buffers.</summary>
    public Layer Model { get; }

    /// <summary>The optimizer's state, for <see cref="Optimizers.Optimizer.LoadState"/>.</summary>
    public IReadOnlyDictionary<string, Tensor> OptimizerState { get; }

    /// <summary>The loader's state at the end of <see cref="CompletedEpoch"/>, for <see cref="DataLoader.SetState"/>.</summary>
    public DataLoaderState LoaderState { get; }

    /// <summary>The state of <see cref="RandomSource.Global"/> when the checkpoint was written.</summary>
    public ulong[] GlobalRandomState { get; }

    /// <summary>The 0-based epoch that was completed; training resumes at the next one.</summary>
    public int CompletedEpoch { get; }

    /// <summary>Optimizer steps taken so far.</summary>
    public long GlobalStep { get; }

    /// <summary>The best accuracy reached so far, if any.</summary>
    public double? BestAccuracy { get; }

    /// <summary>All metadata, including what the caller added (e.g. the command line's recipe).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Writes the state of a run at the end of an epoch to <paramref name="path"/>.</summary>
    public static void Save(string path, TrainingContext context, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var metadata = new Dictionary<string, string>(extraMetadata ?? new Dictionary<string, string>())
        {
            [Models.Model.KindKey] = "training",
            ["epoch"] = context.Epoch.ToString(CultureInfo.InvariantCulture),
            ["global_step"] = context.GlobalStep.ToString(CultureInfo.InvariantCulture),
            ["best_accuracy"] = context.BestAccuracy?.ToString("R", CultureInfo.InvariantCulture) ?? "none",
            ["loader_state"] = JsonSerializer.Serialize(context.GetLoaderState()),
            ["global_random_state"] = JsonSerializer.Serialize(RandomSource.Global.GetState()),
        };
        var optimizer = context.Optimizer.State().Select(s => TensorData.FromTensor(Models.Model.OptimizerPrefix + s.Key, s.Value));
        var all = new Dictionary<string, string>(metadata) { [Models.Model.ArchitectureKey] = ModelArchitecture.ToJson(context.Model) };
        CheckpointWriter.Save(path, Models.Model.StateTensors(context.Model).Concat(optimizer), all);
    }

    /// <summary>Reads and validates a training checkpoint; all or nothing.</summary>
    public static TrainingCheckpoint Load(string path)
    {
        Checkpoint checkpoint = CheckpointReader.Load(path);
        if (checkpoint.Metadata.GetValueOrDefault(Models.Model.KindKey) != "training")
        {
            throw new CheckpointFormatException($"{path}: not a training checkpoint (kind '{checkpoint.Metadata.GetValueOrDefault(Models.Model.KindKey)}'); resume needs the last.safetensors of a run");
        }
        Layer model = Models.Model.FromCheckpoint(checkpoint, path);
        var optimizerState = checkpoint.Tensors
            .Where(t => t.Name.StartsWith(Models.Model.OptimizerPrefix, StringComparison.Ordinal))
            .ToDictionary(t => t.Name[Models.Model.OptimizerPrefix.Length..], t => t.ToTensor(), StringComparer.Ordinal);
        try
        {
            var loader = JsonSerializer.Deserialize<DataLoaderState>(Required(checkpoint, "loader_state", path))
                ?? throw new JsonException("null loader state");
            ulong[] random = JsonSerializer.Deserialize<ulong[]>(Required(checkpoint, "global_random_state", path)) ?? [];
            string best = Required(checkpoint, "best_accuracy", path);
            return new TrainingCheckpoint(model, optimizerState, loader, random,
                int.Parse(Required(checkpoint, "epoch", path), CultureInfo.InvariantCulture),
                long.Parse(Required(checkpoint, "global_step", path), CultureInfo.InvariantCulture),
                best == "none" ? null : double.Parse(best, CultureInfo.InvariantCulture),
                checkpoint.Metadata);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or OverflowException)
        {
            throw new CheckpointFormatException($"{path}: the training state in the metadata is malformed: {ex.Message}");
        }
    }

    private static string Required(Checkpoint checkpoint, string key, string path) =>
        checkpoint.Metadata.TryGetValue(key, out string? value) ? value : throw new CheckpointFormatException($"{path}: training checkpoint lacks metadata '{key}'");
}
