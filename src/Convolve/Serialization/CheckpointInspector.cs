namespace Convolve.Serialization;

/// <summary>
/// Lists a checkpoint's tensors (name, dtype, shape, data range) and metadata without keeping the
/// data (it is streamed through the checksums), and for a broken file reports what is wrong instead of throwing: the library side of
/// <c>convolve inspect FILE</c>. It applies exactly the reader's rules, so a file is reported
/// valid exactly when <see cref="CheckpointReader.Load(string)"/> would load it. Unlike the
/// reader, it also reports I/O errors (missing file, no permission) as the problem rather than
/// throwing; only null or empty arguments throw.
/// </summary>
public static class CheckpointInspector
{
    /// <summary>Inspects the file at <paramref name="path"/>.</summary>
    public static CheckpointInspection Inspect(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete,
                bufferSize: 1, FileOptions.SequentialScan);
            return Inspect(stream, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Unreadable(path, null, e);
        }
    }

    /// <summary>Inspects a readable, seekable stream from its current position to its end.</summary>
    public static CheckpointInspection Inspect(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        var reader = new CheckpointLayoutReader(stream, sourceName);
        try
        {
            reader.ReadLayout();
            reader.VerifyData();
            return Describe(reader, null, null);
        }
        catch (CheckpointFormatException e)
        {
            return Describe(reader, e.Message, e.Offset);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Unreadable(sourceName, reader.FileLength, e);
        }
    }

    private static CheckpointInspection Describe(CheckpointLayoutReader reader, string? problem, long? offset)
    {
        var tensors = (reader.Header?.Entries ?? [])
            .Select(entry => new TensorSummary(entry.Name, entry.DType, entry.Shape, entry.Begin, entry.End))
            .OrderBy(summary => summary.Name, StringComparer.Ordinal)
            .ToList();
        var metadata = reader.Header?.Metadata ?? new Dictionary<string, string>();
        return new CheckpointInspection(reader.Source, reader.FileLength, reader.HeaderLength, tensors, metadata, problem, offset)
        {
            IsVerified = problem is null && reader.Checksums is not null,
        };
    }

    private static CheckpointInspection Unreadable(string source, long? fileLength, Exception error) =>
        new(source, fileLength, null, [], new Dictionary<string, string>(), $"{source}: cannot read the file: {error.Message}", null);
}
