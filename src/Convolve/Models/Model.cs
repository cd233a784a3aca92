using Convolve.Layers;
using Convolve.Serialization;
using Convolve.Tensors;

namespace Convolve.Models;

/// <summary>
/// Saves and loads whole models: every parameter and buffer under its PyTorch state-dict name,
/// with the architecture as JSON in the checkpoint's metadata, so <see cref="Load"/> rebuilds the
/// network with no code (and <c>tools/interop</c> rebuilds the same network in PyTorch).
/// </summary>
public static partial class Model
{
    /// <summary>Metadata key of the architecture JSON.</summary>
    public const string ArchitectureKey = "architecture";

    /// <summary>Metadata key saying what the file holds: <c>model</c> or <c>training</c>.</summary>
    public const string KindKey = "kind";

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> atomically; a model holding NaN
    /// or infinite values is refused before the disk is touched, so it never replaces a good file.
    /// </summary>
    public static void Save(string path, Layer model, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var all = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>())
        {
            [ArchitectureKey] = ModelArchitecture.ToJson(model),
            [KindKey] = metadata?.GetValueOrDefault(KindKey) ?? "model",
        };
        CheckpointWriter.Save(path, StateTensors(model), all);
    }

    /// <summary>Rebuilds the model a checkpoint describes and loads its weights; nothing is returned unless everything matched.</summary>
    /// <exception cref="CheckpointFormatException">The file is not a valid checkpoint, or lacks an architecture.</exception>
    /// <exception cref="ModelArchitectureException">The architecture JSON is invalid.</exception>
    public static Layer Load(string path) => FromCheckpoint(CheckpointReader.Load(path), path);

    /// <summary>Prefix of the optimizer's tensors in a training checkpoint (kind <c>training</c>).</summary>
    public const string OptimizerPrefix = "optimizer.";

    /// <summary>
    /// Rebuilds and fills the model held by an already validated checkpoint; a training
    /// checkpoint's optimizer tensors are not part of the model and are skipped.
    /// </summary>
    public static Layer FromCheckpoint(Checkpoint checkpoint, string source)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (!checkpoint.Metadata.TryGetValue(ArchitectureKey, out string? architecture))
        {
            throw new CheckpointFormatException($"{source}: no '{ArchitectureKey}' in the metadata: the file holds tensors but not a model description");
        }
        Layer model = ModelArchitecture.FromJson(architecture);
        bool training = checkpoint.Metadata.GetValueOrDefault(KindKey) == "training";
        LoadState(model, checkpoint, source, training ? OptimizerPrefix : null);
        return model;
    }

    /// <summary>The model's parameters and buffers as float32 tensors, named like a PyTorch state dict.</summary>
    public static IEnumerable<TensorData> StateTensors(Layer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (var (name, tensor) in StateEntries(model))
        {
            yield return TensorData.FromTensor(name, tensor);
        }
    }

    /// <summary>
    /// Copies the checkpoint's tensors into <paramref name="model"/>: every state entry must be
    /// present with the same shape and no tensor may be left over (other than those starting
    /// with <paramref name="ignoredPrefix"/>). All are checked before any is copied.
    /// </summary>
    public static void LoadState(Layer model, Checkpoint checkpoint, string source, string? ignoredPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var entries = StateEntries(model).ToList();
        var expected = entries.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var unexpected = checkpoint.Tensors.Select(t => t.Name)
            .Where(n => !expected.Contains(n) && (ignoredPrefix is null || !n.StartsWith(ignoredPrefix, StringComparison.Ordinal)))
            .ToList();
        if (unexpected.Count > 0)
        {
            throw new CheckpointFormatException($"{source}: tensors not in the model: {string.Join(", ", unexpected.Take(5))}");
        }
        var values = new List<(Tensor Target, TensorData Data)>(entries.Count);
        foreach (var (name, target) in entries)
        {
            if (!checkpoint.TryGetTensor(name, out TensorData? data))
            {
                throw new CheckpointFormatException($"{source}: the model needs tensor '{name}' {target.Shape} but the file has none");
            }
            if (data.DType != TensorDType.F32 || data.Shape != target.Shape)
            {
                throw new CheckpointFormatException($"{source}: tensor '{name}' is {data.DType} {data.Shape} but the model needs F32 {target.Shape}");
            }
            values.Add((target, data));
        }
        foreach (var (target, data) in values)
        {
            data.ToSingleArray().CopyTo(target.Data, 0);
        }
    }

    private static IEnumerable<(string Name, Tensor Tensor)> StateEntries(Layer model) =>
        model.NamedParameters().Select(p => (p.Name, p.Parameter.Value)).Concat(model.NamedBuffers());
}
