using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace Convolve.Serialization;

/// <summary>
/// A fully validated checkpoint as returned by <see cref="CheckpointReader.Load(string)"/>: named
/// tensors in ordinal name order and a string-to-string metadata map (which always holds
/// <see cref="CheckpointFormat.FormatKey"/> and <see cref="CheckpointFormat.VersionKey"/>).
/// </summary>
public sealed class Checkpoint
{
    private readonly Dictionary<string, TensorData> byName;

    internal Checkpoint(IEnumerable<TensorData> tensors, IDictionary<string, string> metadata, bool isVerified)
    {
        IsVerified = isVerified;
        var sorted = tensors.ToList();
        sorted.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        Tensors = sorted.AsReadOnly();
        byName = sorted.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Metadata = new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(metadata, StringComparer.Ordinal));
    }

    /// <summary>The tensors, sorted by name (ordinal).</summary>
    public IReadOnlyList<TensorData> Tensors { get; }

    /// <summary>The metadata: format marker plus whatever the saver added (architecture, epoch, ...).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>
    /// True when the file carried checksums and every tensor and metadata value matched them;
    /// false for a file without checksums (written by another tool or an older Convolve).
    /// </summary>
    public bool IsVerified { get; }

    /// <summary>The tensor called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name; the message lists the names there are.</exception>
    public TensorData this[string name] => TryGetTensor(name, out var tensor)
        ? tensor
        : throw new KeyNotFoundException(
            $"the checkpoint has no tensor \"{name}\"; it has {Tensors.Count}: {string.Join(", ", byName.Keys.Order(StringComparer.Ordinal))}");

    /// <summary>Looks a tensor up by name.</summary>
    public bool TryGetTensor(string name, [MaybeNullWhen(false)] out TensorData tensor) => byName.TryGetValue(name, out tensor);
}
