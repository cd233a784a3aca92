namespace Convolve.Onnx;

/// <summary>
/// A file that is not a well-formed ONNX model: broken protobuf wire format (a truncated field, a
/// length past the end, an over-long varint, an unknown wire type), a field of the wrong type,
/// invalid UTF-8, or a tensor whose data disagree with its dimensions. The message reads
/// <c>FILE: at byte OFFSET: PROBLEM</c>. Like the checkpoint reader's exception it derives from
/// <see cref="IOException"/> (<see cref="InvalidDataException"/> is sealed), so
/// <c>catch (IOException)</c> selects every reason a file could not be read.
/// </summary>
public sealed class OnnxFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> at byte <paramref name="offset"/>.</summary>
    public OnnxFormatException(string filePath, long offset, string problem, Exception? innerException = null)
        : base(OnnxText.OneLine($"{filePath}: at byte {offset}: {problem}"), innerException)
    {
        FilePath = filePath;
        Offset = offset;
        Problem = problem;
    }

    /// <summary>The file (or stream name) that was being read.</summary>
    public string FilePath { get; }

    /// <summary>Byte offset from the start of the file where the problem was found.</summary>
    public long Offset { get; }

    /// <summary>What was wrong, without the file name and offset.</summary>
    public string Problem { get; }
}
