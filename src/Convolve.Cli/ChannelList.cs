using System.Globalization;

namespace Convolve.Cli;

/// <summary>Parses channel lists such as <c>0-15</c>, <c>3</c> or <c>0,4,8-11</c> (ranges inclusive).</summary>
internal static class ChannelList
{
    /// <summary>The channels named by <paramref name="text"/>, in order and without repeats; checked against the layer's <paramref name="count"/>.</summary>
    public static int[] Parse(string text, int count, string option, string layer)
    {
        var channels = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            string[] ends = part.Split('-', StringSplitOptions.TrimEntries);
            if (ends.Length is < 1 or > 2 || !ends.All(e => int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                throw new UserErrorException($"{option} must be channel numbers and ranges such as 0-15 or 0,4,8-11 but got '{text}'");
            }
            int first = int.Parse(ends[0], CultureInfo.InvariantCulture), last = int.Parse(ends[^1], CultureInfo.InvariantCulture);
            if (last < first)
            {
                throw new UserErrorException($"{option}: the range {part} runs backwards");
            }
            if (last >= count)
            {
                throw new UserErrorException($"{option} {text} is out of range: layer {layer} has {count} channels (0-{count - 1})");
            }
            channels.AddRange(Enumerable.Range(first, last - first + 1));
        }
        return channels.Distinct().ToArray();
    }
}
