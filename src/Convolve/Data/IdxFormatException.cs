namespace Convolve.Data;

/// <summary>
/// An IDX file that does not follow the format: names the file, the byte offset and what was
/// expected there. It is an <see cref="IOException"/> because <see cref="InvalidDataException"/>
/// is sealed and cannot be derived from.
/// </summary>
public sealed class IdxFormatException : IOException
{
    /// <summary>Creates the exception with a message of the form <c>{file}: at byte {offset}: {problem}</c>.</summary>
    public IdxFormatException(string fileName, long offset, string problem, Exception? innerException = null)
        : base($"{fileName}: at byte {offset}: {problem}", innerException)
    {
        FileName = fileName;
        Offset = offset;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public IdxFormatException(string message) : base(message)
    {
        FileName = "";
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public IdxFormatException(string message, Exception innerException) : base(message, innerException)
    {
        FileName = "";
    }

    /// <summary>Creates the exception with the default message.</summary>
    public IdxFormatException()
    {
        FileName = "";
    }

    /// <summary>The file (or stream name) that was being read.</summary>
    public string FileName { get; }

    /// <summary>The byte offset of the problem, in the decompressed content for a gzip file.</summary>
    public long Offset { get; }
}
