namespace Convolve.Serialization;

/// <summary>
/// The one exception a checkpoint reader throws for a file whose bytes are not a valid Convolve
/// checkpoint: truncated, tampered, malformed header, impossible layout, or another format. The
/// message names the file, the byte offset where the problem was found (when known) and what was
/// expected there. I/O failures (missing file, no permission) are not wrapped: they surface as
/// the usual <see cref="FileNotFoundException"/>, <see cref="IOException"/> or
/// <see cref="UnauthorizedAccessException"/>, because their remedy is different (fix the path or
/// permissions, not the file).
/// </summary>
/// <remarks>
/// It derives from <see cref="IOException"/> because <see cref="InvalidDataException"/>, the
/// framework's type for bad file contents, is sealed. So <c>catch (CheckpointFormatException)</c>
/// selects bad contents, and <c>catch (IOException)</c> selects every reason a file could not be
/// loaded, as it does for <see cref="EndOfStreamException"/>.
/// </remarks>
public sealed class CheckpointFormatException : IOException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public CheckpointFormatException()
        : base("the file is not a valid Convolve checkpoint")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    public CheckpointFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    public CheckpointFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Creates an exception for <paramref name="filePath"/> whose message reads
    /// <c>FILE: at byte OFFSET: PROBLEM</c> (the offset part only when it is known).
    /// </summary>
    public CheckpointFormatException(string filePath, long? offset, string problem, Exception? innerException = null)
        : base(Compose(filePath, offset, problem), innerException)
    {
        FilePath = filePath;
        Offset = offset;
        Problem = problem;
    }

    /// <summary>The file (or stream name) that was being read.</summary>
    public string? FilePath { get; }

    /// <summary>Byte offset from the start of the file where the problem was found, when known.</summary>
    public long? Offset { get; }

    /// <summary>What was wrong and what was expected, without the file name and offset.</summary>
    public string? Problem { get; }

    private static string Compose(string filePath, long? offset, string problem) =>
        offset is long at ? $"{filePath}: at byte {at}: {problem}" : $"{filePath}: {problem}";
}
