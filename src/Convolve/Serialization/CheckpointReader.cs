namespace Convolve.Serialization;

/// <summary>
/// Loads checkpoints strictly and all-or-nothing: either every rule below holds and a fully
/// validated <see cref="Checkpoint"/> is returned, or a <see cref="CheckpointFormatException"/>
/// names the file, the offset and what was expected.
/// </summary>
/// <remarks>
/// Rules: an 8-byte little-endian header length of at least 2, at most
/// <see cref="CheckpointFormat.MaxHeaderLength"/> and at most the file length − 8; a header that
/// starts with '{', is valid UTF-8 and well-formed JSON nested at most
/// <see cref="CheckpointFormat.MaxJsonDepth"/> deep; unique, non-empty tensor names, each an
/// object with exactly dtype (F32, F64, I32, I64, U8), shape (integers in [0, int.MaxValue]) and
/// data_offsets ([begin, end], 0 ≤ begin ≤ end) with shape × dtype size == end − begin in checked
/// arithmetic and within one array; an optional __metadata__ object of string values that must
/// carry <c>format</c> = <c>convolve-checkpoint</c> and <c>format_version</c> = <c>1</c>; data ranges
/// that, sorted, are contiguous from 0 without overlap and end exactly at the end of the file.
/// Header key order and data order are free (other safetensors writers order by alignment), and
/// header padding is not required. Memory is allocated only in sizes already checked against the
/// actual file length.
/// I/O failures are not format errors and are not wrapped: a missing file raises
/// <see cref="FileNotFoundException"/> or <see cref="DirectoryNotFoundException"/>, a permission
/// problem <see cref="UnauthorizedAccessException"/>, and device errors <see cref="IOException"/>.
/// </remarks>
public static class CheckpointReader
{
    /// <summary>Loads and validates the checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="CheckpointFormatException">The file's bytes break a rule of the format.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="IOException">Another I/O failure.</exception>
    public static Checkpoint Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // FileShare.Delete lets a concurrent atomic save replace the file on Windows while this
        // handle keeps reading the old, complete contents.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete,
            bufferSize: 1, FileOptions.SequentialScan);
        return Load(stream, path);
    }

    /// <summary>
    /// Loads a checkpoint from the current position of a readable, seekable stream to its end;
    /// <paramref name="sourceName"/> names it in error messages.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The bytes break a rule of the format.</exception>
    /// <exception cref="ArgumentException">The stream cannot read or seek.</exception>
    public static Checkpoint Load(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        return new CheckpointLayoutReader(stream, sourceName).ReadCheckpoint();
    }
}
