using System.Text;
using Convolve.Tensors;

namespace Convolve.Serialization;

/// <summary>
/// The validated content of a checkpoint about to be written: tensors in ordinal name order and
/// the full metadata map (format marker included). Every rule is checked here, before the disk
/// is touched.
/// </summary>
internal sealed class CheckpointContent
{
    private CheckpointContent(List<TensorData> tensors, SortedDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    public IReadOnlyList<TensorData> Tensors { get; }

    public SortedDictionary<string, string> Metadata { get; }

    /// <summary>
    /// Validates names, metadata and (when <paramref name="refuseNonFinite"/>) values, and adds the
    /// checksums (unless <paramref name="checksums"/> is false, which only tests use, to make files
    /// like those of other writers).
    /// </summary>
    /// <exception cref="ArgumentException">A rule is broken; the message names the tensor or key.</exception>
    public static CheckpointContent Prepare(IEnumerable<TensorData> tensors, IReadOnlyDictionary<string, string>? metadata, bool refuseNonFinite, bool checksums = true)
    {
        var list = new List<TensorData>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in tensors)
        {
            if (tensor is null)
            {
                throw new ArgumentException($"tensor {list.Count} is null", nameof(tensors));
            }
            CheckName(tensor.Name, list.Count);
            if (!names.Add(tensor.Name))
            {
                throw new ArgumentException($"two tensors are named \"{tensor.Name}\"; names must be unique", nameof(tensors));
            }
            if (refuseNonFinite)
            {
                CheckFinite(tensor);
            }
            list.Add(tensor);
        }
        list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        var map = BuildMetadata(metadata);
        map.Remove(CheckpointFormat.ChecksumsKey);
        if (checksums)
        {
            map[CheckpointFormat.ChecksumsKey] = CheckpointChecksums.Compute(list, map);
        }
        return new CheckpointContent(list, map);
    }

    private static void CheckName(string name, int position)
    {
        if (name.Length == 0)
        {
            throw new ArgumentException($"tensor {position} has an empty name; names must be non-empty", "tensors");
        }
        if (name == CheckpointFormat.MetadataKey)
        {
            throw new ArgumentException($"the tensor name \"{name}\" is reserved for the metadata map", "tensors");
        }
        CheckText(name, $"tensor name \"{name}\"", "tensors");
    }

    private static void CheckFinite(TensorData tensor)
    {
        long index = tensor.IndexOfNonFinite();
        if (index < 0)
        {
            return;
        }
        double value = tensor.DType == TensorDType.F32 ? tensor.ToSingleArray()[index] : tensor.ToDoubleArray()[index];
        throw new ArgumentException(
            $"tensor \"{tensor.Name}\" has {(double.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf")} at element {index} " +
            $"(index {Shape.Format(Unravel(index, tensor.Shape))} of shape {tensor.Shape}); a checkpoint with NaN or infinite values " +
            "is never saved, so that a diverged model cannot replace a good checkpoint", "tensors");
    }

    private static int[] Unravel(long index, Shape shape)
    {
        var position = new int[shape.Rank];
        for (int d = shape.Rank - 1; d >= 0; d--)
        {
            position[d] = (int)(index % shape[d]);
            index /= shape[d];
        }
        return position;
    }

    private static SortedDictionary<string, string> BuildMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            if (value is null)
            {
                throw new ArgumentException($"metadata \"{key}\" is null; values must be strings", nameof(metadata));
            }
            CheckText(key, $"metadata key \"{key}\"", nameof(metadata));
            CheckText(value, $"metadata value \"{key}\"", nameof(metadata));
            map.Add(key, value);
        }
        CheckReserved(map, CheckpointFormat.FormatKey, CheckpointFormat.FormatName);
        CheckReserved(map, CheckpointFormat.VersionKey, CheckpointFormat.Version);
        return map;
    }

    // A loaded checkpoint's metadata already carries the marker, so equal values are accepted and
    // re-saving it works; a different value would mislabel the file.
    private static void CheckReserved(SortedDictionary<string, string> map, string key, string value)
    {
        if (map.TryGetValue(key, out string? given) && given != value)
        {
            throw new ArgumentException($"metadata \"{key}\" is reserved: it is always \"{value}\" but got \"{given}\"", "metadata");
        }
        map[key] = value;
    }

    // JSON holds Unicode text; an unpaired surrogate would be silently replaced by U+FFFD and the
    // name would not round-trip.
    private static void CheckText(string text, string what, string parameter)
    {
        ReadOnlySpan<char> rest = text;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out _, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                throw new ArgumentException($"{what} has an unpaired surrogate at index {text.Length - rest.Length}", parameter);
            }
            rest = rest[consumed..];
        }
    }
}
