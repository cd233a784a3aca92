using System.Globalization;
using System.Text.Json;
using Convolve.Data;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Optimizers;
using Convolve.Serialization;
using Convolve.Tensors;

namespace Convolve.Training;

/// <summary>
/// Everything needed to continue a training run exactly: the model (architecture and state),
/// the optimizer's state (tensors named <c>optimizer.*</c>), the data loader's shuffle position
/// and generators, the global generator (dropout masks), the epoch just completed, the global
/// step and the best accuracy so far (and its epoch), with the input normalisation. Written
/// atomically with <see cref="CheckpointWriter"/>; <see cref="Load(string)"/> checks all of it, and
/// <see cref="Resume"/> puts it back into an optimizer, a loader and the trainer's options in one call.
/// </summary>
public sealed class TrainingCheckpoint
{
    private TrainingCheckpoint(SavedModel saved, IReadOnlyDictionary<string, Tensor> optimizerState, TrainingState state)
    {
        (Model, Source, Metadata, IsVerified, Normalization) = (saved.Model, saved.Source, saved.Metadata, saved.IsVerified, saved.Normalization);
        (OptimizerState, LoaderState, GlobalRandomState) = (optimizerState, state.Loader, state.GlobalRandom);
        (CompletedEpoch, GlobalStep, BestAccuracy, BestEpoch) = (state.Epoch, state.GlobalStep, state.BestAccuracy, state.BestEpoch);
    }

    /// <summary>The model, rebuilt from its architecture with the saved weights and buffers.</summary>
    public Layer Model { get; }

    /// <summary>The file (or stream name) it was loaded from.</summary>
    public string Source { get; }

    /// <summary>The optimizer's state, for <see cref="Optimizer.LoadState"/>: <c>step</c> and <c>{parameter index}.{key}</c>.</summary>
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

    /// <summary>The 0-based epoch of <see cref="BestAccuracy"/>, when the file records it.</summary>
    public int? BestEpoch { get; }

    /// <summary>The input normalisation of the run, or null for a file that records none.</summary>
    public InputNormalization? Normalization { get; }

    /// <summary>True when the file carried checksums and everything matched them.</summary>
    public bool IsVerified { get; }

    /// <summary>All metadata, including what the caller added (e.g. the command line's recipe).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Writes the state of a run at the end of an epoch to <paramref name="path"/>.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="context">The run, as a callback sees it at the end of an epoch.</param>
    /// <param name="extraMetadata">Entries to add (a recipe, class names); may be null.</param>
    /// <param name="normalization">The inputs' normalisation; as for <see cref="Models.Model.Save"/> when null.</param>
    public static void Save(string path, TrainingContext context, IReadOnlyDictionary<string, string>? extraMetadata = null, InputNormalization? normalization = null) =>
        Write(path, context, MetadataFor(context, extraMetadata, normalization));

    /// <summary>Reads and checks a training checkpoint; all or nothing.</summary>
    /// <exception cref="CheckpointFormatException">The file is damaged, not a training checkpoint, or any part of its state is invalid; the message names the file.</exception>
    /// <exception cref="ModelArchitectureException">The architecture JSON is invalid.</exception>
    public static TrainingCheckpoint Load(string path) => From(CheckpointReader.Load(path), path);

    /// <summary>Reads and checks a training checkpoint from a readable, seekable stream.</summary>
    /// <exception cref="CheckpointFormatException">The bytes are damaged, not a training checkpoint, or any part of the state is invalid.</exception>
    /// <exception cref="ModelArchitectureException">The architecture JSON is invalid.</exception>
    public static TrainingCheckpoint Load(Stream stream, string sourceName) => From(CheckpointReader.Load(stream, sourceName), sourceName);

    /// <summary>
    /// Continues the run in one call: loads the optimizer state into <paramref name="optimizer"/>,
    /// the loader position into <paramref name="loader"/> and the global generator's state, and
    /// returns <paramref name="options"/> set to start after <see cref="CompletedEpoch"/> (start
    /// epoch, global step, best accuracy and its epoch). Everything is checked first: when it
    /// throws, the optimizer, the loader and the generator are unchanged.
    /// </summary>
    /// <param name="optimizer">An optimizer of the same kind over <see cref="Model"/>'s parameters, in their order.</param>
    /// <param name="loader">A loader over the same data with the same batch size.</param>
    /// <param name="options">The run's options; its start fields are replaced.</param>
    /// <exception cref="ArgumentException">The optimizer or the loader does not fit the saved state; the message names the file.</exception>
    public TrainerOptions Resume(Optimizer optimizer, DataLoader loader, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(options);
        var before = optimizer.State();
        try
        {
            loader.CheckState(LoaderState);
            optimizer.LoadState(OptimizerState);
            loader.SetState(LoaderState);
        }
        catch (ArgumentException ex)
        {
            optimizer.LoadState(before);
            throw new ArgumentException($"{Source}: cannot resume: {ExceptionReason.Of(ex)}", nameof(optimizer), ex);
        }
        RandomSource.Global.SetState(GlobalRandomState);
        return options with { StartEpoch = CompletedEpoch + 1, StartGlobalStep = GlobalStep, PreviousBestAccuracy = BestAccuracy, PreviousBestEpoch = BestEpoch };
    }

    /// <summary>The metadata of a training checkpoint of <paramref name="context"/>: the extras, normalisation, and the run's state.</summary>
    internal static Dictionary<string, string> MetadataFor(TrainingContext context, IReadOnlyDictionary<string, string>? extraMetadata, InputNormalization? normalization)
    {
        ArgumentNullException.ThrowIfNull(context);
        var metadata = ModelMetadata.Complete(extraMetadata, normalization);
        metadata[Models.Model.KindKey] = TrainingState.Kind;
        metadata[TrainingState.EpochKey] = context.Epoch.ToString(CultureInfo.InvariantCulture);
        metadata[TrainingState.GlobalStepKey] = context.GlobalStep.ToString(CultureInfo.InvariantCulture);
        metadata[TrainingState.BestAccuracyKey] = context.BestAccuracy?.ToString("R", CultureInfo.InvariantCulture) ?? TrainingState.None;
        metadata[TrainingState.BestEpochKey] = context.BestEpoch?.ToString(CultureInfo.InvariantCulture) ?? TrainingState.None;
        metadata[TrainingState.LoaderStateKey] = JsonSerializer.Serialize(context.GetLoaderState());
        metadata[TrainingState.GlobalRandomStateKey] = JsonSerializer.Serialize(RandomSource.Global.GetState());
        return metadata;
    }

    /// <summary>Writes the model, the optimizer state and <paramref name="metadata"/> (from <see cref="MetadataFor"/>).</summary>
    internal static void Write(string path, TrainingContext context, Dictionary<string, string> metadata)
    {
        var optimizer = context.Optimizer.State().Select(s => TensorData.FromTensor(Models.Model.OptimizerPrefix + s.Key, s.Value));
        var all = new Dictionary<string, string>(metadata) { [Models.Model.ArchitectureKey] = ModelArchitecture.ToJson(context.Model) };
        CheckpointWriter.Save(path, Models.Model.StateTensors(context.Model).Concat(optimizer), all);
    }

    private static TrainingCheckpoint From(Checkpoint checkpoint, string source)
    {
        string? kind = checkpoint.Metadata.GetValueOrDefault(Models.Model.KindKey);
        if (kind != TrainingState.Kind)
        {
            throw new CheckpointFormatException($"{source}: not a training checkpoint (kind '{kind}'); resume needs the last.safetensors of a run");
        }
        var state = TrainingState.Read(checkpoint.Metadata, source);
        var saved = SavedModel.FromCheckpoint(checkpoint, source);
        var optimizerState = TrainingState.ReadOptimizer(checkpoint, saved.Model, source);
        return new TrainingCheckpoint(saved, optimizerState, state);
    }
}
