using Convolve.Data;
using Convolve.Layers;
using Convolve.Serialization;

namespace Convolve.Models;

/// <summary>
/// Saves and loads whole models: every parameter and buffer under its PyTorch state-dict name,
/// with the architecture as JSON and the input normalisation in the checkpoint's metadata, so
/// <see cref="Load"/> rebuilds the network with no code, <c>convolve eval</c> feeds it inputs
/// normalised as in training, and <c>tools/interop</c> rebuilds the same network in PyTorch.
/// </summary>
public static partial class Model
{
    /// <summary>Metadata key of the architecture JSON.</summary>
    public const string ArchitectureKey = "architecture";

    /// <summary>Metadata key saying what the file holds: <c>model</c> or <c>training</c>.</summary>
    public const string KindKey = "kind";

    /// <summary>Prefix of the optimizer's tensors in a training checkpoint (kind <c>training</c>).</summary>
    public const string OptimizerPrefix = "optimizer.";

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> atomically, with its architecture
    /// and the input normalisation it expects; a model holding NaN or infinite values is refused
    /// before the disk is touched, so it never replaces a good file.
    /// </summary>
    /// <param name="path">The file to write (its folder must exist).</param>
    /// <param name="model">The model; every layer must be one the architecture JSON describes.</param>
    /// <param name="metadata">Extra string entries (e.g. <see cref="ModelMetadata.ClassNamesKey"/>); may be null.</param>
    /// <param name="normalization">
    /// How the training inputs were normalised (<see cref="Dataset.Normalization"/>). When null, the
    /// normalisation entries of <paramref name="metadata"/> are kept if present, and
    /// <see cref="InputNormalization.None"/> is recorded otherwise.
    /// </param>
    /// <exception cref="ArgumentException">The model has NaN or ±Inf, an unknown layer type, or the metadata's normalisation or class names are malformed.</exception>
    public static void Save(string path, Layer model, IReadOnlyDictionary<string, string>? metadata = null, InputNormalization? normalization = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var all = ModelMetadata.Complete(metadata, normalization);
        all[ArchitectureKey] = ModelArchitecture.ToJson(model);
        all[KindKey] = metadata?.GetValueOrDefault(KindKey) ?? "model";
        CheckpointWriter.Save(path, StateTensors(model), all);
    }

    /// <summary>Rebuilds the model a checkpoint file describes and loads its weights; see <see cref="SavedModel.Load(string)"/> for the checks.</summary>
    /// <exception cref="CheckpointFormatException">The file is not a valid checkpoint, lacks an architecture, or its tensors do not fit it.</exception>
    /// <exception cref="ModelArchitectureException">The architecture JSON is invalid.</exception>
    public static Layer Load(string path) => SavedModel.Load(path).Model;

    /// <summary>
    /// Rebuilds and fills the model held by an already validated checkpoint; a training
    /// checkpoint's optimizer tensors are not part of the model and are skipped. The architecture
    /// is checked against the stored tensors' names and shapes before any layer is built, so a
    /// damaged size is refused without allocating it; then every value must be finite.
    /// </summary>
    /// <exception cref="CheckpointFormatException">No architecture, tensors that do not fit it, or a NaN or infinite value.</exception>
    /// <exception cref="ModelArchitectureException">The architecture JSON is invalid.</exception>
    public static Layer FromCheckpoint(Checkpoint checkpoint, string source)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (!checkpoint.Metadata.TryGetValue(ArchitectureKey, out string? architecture))
        {
            throw new CheckpointFormatException($"{source}: no '{ArchitectureKey}' in the metadata: the file holds tensors but not a model description");
        }
        string? ignoredPrefix = checkpoint.Metadata.GetValueOrDefault(KindKey) == "training" ? OptimizerPrefix : null;
        ModelState.CheckBeforeBuilding(ArchitectureState.Of(architecture), checkpoint, source, ignoredPrefix);
        Layer model = ModelArchitecture.FromJson(architecture);
        LoadState(model, checkpoint, source, ignoredPrefix);
        return model;
    }

    /// <summary>The model's parameters and buffers as float32 tensors, named like a PyTorch state dict.</summary>
    public static IEnumerable<TensorData> StateTensors(Layer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (var (name, tensor) in ModelState.Entries(model))
        {
            yield return TensorData.FromTensor(name, tensor);
        }
    }

    /// <summary>
    /// Copies the checkpoint's tensors into <paramref name="model"/>: every state entry must be
    /// present as F32 with the same shape and only finite values, and no tensor may be left over
    /// (other than those starting with <paramref name="ignoredPrefix"/>). All are checked before
    /// any is copied, so a refused checkpoint leaves the model unchanged.
    /// </summary>
    /// <exception cref="CheckpointFormatException">A tensor is missing, left over, of another dtype or shape, or not finite.</exception>
    public static void LoadState(Layer model, Checkpoint checkpoint, string source, string? ignoredPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var values = ModelState.Match(model, checkpoint, source, ignoredPrefix);
        foreach (var (target, data) in values)
        {
            data.ToSingleArray().CopyTo(target.Data, 0);
        }
    }
}
