using Convolve.Data;
using Convolve.Layers;
using Convolve.Serialization;

namespace Convolve.Models;

/// <summary>
/// A model file loaded with everything needed to use it: the rebuilt model, the input
/// normalisation and class names it records, its metadata, and whether its checksums verified it.
/// Loading checks, in order: the checkpoint format and checksums, the normalisation and class
/// names, the architecture against the stored tensors' names, dtypes and shapes (before any layer
/// is built), and every value for NaN or infinity. This is exactly what <c>convolve eval</c>
/// requires of a file, and what <c>convolve inspect</c> reports.
/// </summary>
public sealed class SavedModel
{
    private SavedModel(Layer model, string source, Checkpoint checkpoint, InputNormalization? normalization, IReadOnlyList<string> classNames)
    {
        (Model, Source, Metadata, IsVerified) = (model, source, checkpoint.Metadata, checkpoint.IsVerified);
        (Normalization, ClassNames) = (normalization, classNames);
    }

    /// <summary>The rebuilt model with the stored weights and buffers.</summary>
    public Layer Model { get; }

    /// <summary>The file (or stream name) it came from.</summary>
    public string Source { get; }

    /// <summary>All metadata of the file.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>True when the file carried checksums and everything matched them.</summary>
    public bool IsVerified { get; }

    /// <summary>The normalisation its inputs need, or null for a file that records none (one written by another tool).</summary>
    public InputNormalization? Normalization { get; }

    /// <summary>The class names the file records, or an empty list.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Loads and checks the model file at <paramref name="path"/>.</summary>
    /// <exception cref="CheckpointFormatException">The file is damaged, not a model, or its tensors, normalisation or class names are wrong.</exception>
    /// <exception cref="ModelArchitectureException">The architecture JSON is invalid.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist (other I/O errors as <see cref="IOException"/>).</exception>
    public static SavedModel Load(string path) => FromCheckpoint(CheckpointReader.Load(path), path);

    /// <summary>Loads and checks a model file from a readable, seekable stream; <paramref name="sourceName"/> names it in messages.</summary>
    /// <exception cref="CheckpointFormatException">The bytes are damaged, not a model, or do not fit the architecture.</exception>
    /// <exception cref="ModelArchitectureException">The architecture JSON is invalid.</exception>
    public static SavedModel Load(Stream stream, string sourceName) => FromCheckpoint(CheckpointReader.Load(stream, sourceName), sourceName);

    /// <summary>Checks an already read checkpoint and rebuilds its model.</summary>
    /// <exception cref="CheckpointFormatException">The checkpoint is not a model, or its tensors, normalisation or class names are wrong.</exception>
    /// <exception cref="ModelArchitectureException">The architecture JSON is invalid.</exception>
    public static SavedModel FromCheckpoint(Checkpoint checkpoint, string source)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(source);
        var normalization = ModelMetadata.ReadNormalization(checkpoint.Metadata, source);
        var classNames = ModelMetadata.ReadClassNames(checkpoint.Metadata, source);
        return new SavedModel(Models.Model.FromCheckpoint(checkpoint, source), source, checkpoint, normalization, classNames);
    }
}
