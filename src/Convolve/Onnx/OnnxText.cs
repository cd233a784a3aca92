using System.Text;

namespace Convolve.Onnx;

/// <summary>Makes error messages that quote a file's names (node, tensor, operator) one printable line of bounded length.</summary>
internal static class OnnxText
{
    /// <summary>The longest message kept; a file can hold names of any length.</summary>
    private const int MaxLength = 2_000;

    /// <summary>Control characters as <c>\uXXXX</c>, the whole cut to <see cref="MaxLength"/> characters.</summary>
    public static string OneLine(string message)
    {
        var text = new StringBuilder(Math.Min(message.Length, MaxLength));
        foreach (char c in message)
        {
            if (text.Length >= MaxLength)
            {
                return text.Append('…').ToString();
            }
            text.Append(char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString());
        }
        return text.ToString();
    }
}
