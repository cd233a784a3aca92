using System.Text;

namespace Convolve.Serialization;

/// <summary>
/// What <see cref="CheckpointInspector"/> found in a file: its tensors and metadata as far as
/// they could be read, and the first problem, if any. <see cref="IsValid"/> is true exactly when
/// <see cref="CheckpointReader.Load(string)"/> would succeed on the same bytes.
/// </summary>
public sealed class CheckpointInspection
{
    private const int MaxShownValueLength = 100;

    internal CheckpointInspection(string source, long? fileLength, long? headerLength, IReadOnlyList<TensorSummary> tensors,
        IReadOnlyDictionary<string, string> metadata, string? problem, long? problemOffset)
    {
        Source = source;
        FileLength = fileLength;
        HeaderLength = headerLength;
        Tensors = tensors;
        Metadata = metadata;
        Problem = problem;
        ProblemOffset = problemOffset;
    }

    /// <summary>The file or stream name inspected.</summary>
    public string Source { get; }

    /// <summary>The file's length in bytes, or null when it could not be opened.</summary>
    public long? FileLength { get; }

    /// <summary>The JSON header's length in bytes, once it has been found plausible.</summary>
    public long? HeaderLength { get; }

    /// <summary>The tensors of a header that parsed, sorted by name; empty if the header did not parse.</summary>
    public IReadOnlyList<TensorSummary> Tensors { get; }

    /// <summary>The metadata of a header that parsed; empty otherwise.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>True when the file is a valid checkpoint.</summary>
    public bool IsValid => Problem is null;

    /// <summary>
    /// The first problem: a format error (the message of the <see cref="CheckpointFormatException"/>
    /// that loading would throw) or an I/O error; null for a valid file.
    /// </summary>
    public string? Problem { get; }

    /// <summary>The byte offset of the problem, when known.</summary>
    public long? ProblemOffset { get; }

    /// <summary>
    /// True when the file is valid and carried checksums that every tensor and metadata value
    /// matched; false for a file without checksums (its corruption cannot be detected) or an invalid one.
    /// </summary>
    public bool IsVerified { get; init; }

    /// <summary>A human-readable report: status, metadata (long values cut), then one line per tensor.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(IsValid
            ? $"{Source}: valid Convolve checkpoint, {FileLength} bytes, header {HeaderLength} bytes, "
              + (IsVerified ? "verified (every tensor and metadata value matches its checksum)" : "unverified (the file has no checksums, so damage cannot be detected)")
            : $"INVALID: {Problem}");
        text.AppendLine($"metadata ({Metadata.Count}):");
        foreach (var (key, value) in Metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            string shown = value.Length <= MaxShownValueLength ? value : $"{value[..MaxShownValueLength]}… ({value.Length} characters)";
            text.AppendLine($"  {key} = {shown}");
        }
        text.AppendLine($"tensors ({Tensors.Count}):");
        foreach (var tensor in Tensors)
        {
            text.AppendLine($"  {tensor.Name}  {tensor.DType.HeaderName()}  {tensor.Shape}  {tensor.ByteLength} bytes");
        }
        return text.ToString();
    }
}
