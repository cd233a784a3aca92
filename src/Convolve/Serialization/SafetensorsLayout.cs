namespace Convolve.Serialization;

/// <summary>
/// Checks that tensor data ranges tile the data section exactly: sorted by position they start
/// at 0, each begins where the previous one ended (no gap, no overlap), none runs past the end
/// of the file, and the last ends exactly at the end of the file.
/// </summary>
internal static class SafetensorsLayout
{
    /// <summary>Returns the entries in file order.</summary>
    /// <exception cref="CheckpointFormatException">A gap, an overlap, a range past the end, or trailing bytes.</exception>
    public static IReadOnlyList<TensorEntry> Validate(IReadOnlyList<TensorEntry> entries, string source, long dataStart, long dataLength)
    {
        var ordered = entries.ToList();
        ordered.Sort(static (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin)
            : a.End != b.End ? a.End.CompareTo(b.End) : string.CompareOrdinal(a.Name, b.Name));
        long expected = 0;
        TensorEntry? previous = null;
        foreach (var entry in ordered)
        {
            if (entry.End > dataLength)
            {
                throw new CheckpointFormatException(source, entry.HeaderOffset,
                    $"tensor \"{entry.Name}\" has data_offsets [{entry.Begin}, {entry.End}] but the data section holds only {dataLength} bytes (bytes {dataStart} to {dataStart + dataLength} of the file): the file is truncated or the offsets are wrong");
            }
            if (entry.Begin != expected)
            {
                string problem = entry.Begin > expected
                    ? $"bytes [{expected}, {entry.Begin}) of the data section belong to no tensor: tensor \"{entry.Name}\" starts at {entry.Begin} but the data must be contiguous from 0"
                    : $"tensor \"{entry.Name}\" data [{entry.Begin}, {entry.End}) overlaps tensor \"{previous!.Name}\" data [{previous.Begin}, {previous.End})";
                throw new CheckpointFormatException(source, entry.HeaderOffset, problem);
            }
            expected = entry.End;
            previous = entry;
        }
        if (expected != dataLength)
        {
            throw new CheckpointFormatException(source, dataStart + expected,
                $"the data section is {dataLength} bytes but the tensors cover only [0, {expected}): {dataLength - expected} bytes at the end belong to no tensor");
        }
        return ordered;
    }
}
