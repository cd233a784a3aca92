namespace Convolve.Serialization;

/// <summary>The entries of a header in the order they appear, and its metadata map if it has one.</summary>
internal sealed record ParsedHeader(IReadOnlyList<TensorEntry> Entries, IReadOnlyDictionary<string, string>? Metadata);
