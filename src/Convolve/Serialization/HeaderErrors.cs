using System.Text.Json;

namespace Convolve.Serialization;

/// <summary>Makes <see cref="CheckpointFormatException"/>s for positions inside a header that starts at <c>headerStart</c>.</summary>
internal sealed class HeaderErrors(string source, long headerStart)
{
    /// <summary>The file offset of a byte index inside the header.</summary>
    public long FileOffset(long headerIndex) => headerStart + headerIndex;

    /// <summary>An error at a byte index inside the header.</summary>
    public CheckpointFormatException At(long headerIndex, string problem, Exception? cause = null) =>
        new(source, headerStart + headerIndex, problem, cause);

    /// <summary>An error at a file offset.</summary>
    public CheckpointFormatException AtFile(long fileOffset, string problem) => new(source, fileOffset, problem);

    /// <summary>
    /// The header index of a JSON syntax error: the reader reports a line and a byte position in
    /// that line, and a header may contain newlines, so the line start is found by counting them.
    /// </summary>
    public static long OffsetOf(ReadOnlySpan<byte> header, JsonException error)
    {
        long line = error.LineNumber ?? 0;
        int lineStart = 0;
        for (long l = 0; l < line; l++)
        {
            int newline = header[lineStart..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                break;
            }
            lineStart += newline + 1;
        }
        return Math.Min(lineStart + (error.BytePositionInLine ?? 0), header.Length);
    }
}
