using System.CommandLine;
using System.Globalization;
using Convolve.Diagnostics;

namespace Convolve.Cli.Explain;

/// <summary>The options of <c>convolve explain conv</c> and <c>explain pool</c>, and the explanation they ask for.</summary>
internal sealed class ExplainOptions(bool pooling)
{
    private readonly Option<string> input = new("--input", "-i") { Description = "Input size: N (square) or HxW", Required = true };
    private readonly Option<string> kernel = new("--kernel", "-k") { Description = "Kernel size: N or HxW", Required = true };
    private readonly Option<string?> stride = new("--stride", "-s") { Description = pooling ? "Stride: N or HxW (default: the kernel size)" : "Stride: N or HxW (default 1)" };
    private readonly Option<string> padding = new("--padding", "-p") { Description = "Zero padding on each side: N or HxW", DefaultValueFactory = _ => "0" };
    private readonly Option<string> dilation = new("--dilation", "-d") { Description = "Spacing of the kernel taps: N or HxW", DefaultValueFactory = _ => "1" };
    private readonly Option<bool> transposed = new("--transposed", "-t") { Description = "Explain the transposed convolution (multiplication by Cᵀ) whose input has --input size" };
    private readonly Option<string> outputPadding = new("--output-padding") { Description = "Output padding of the transposed convolution: N or HxW", DefaultValueFactory = _ => "0" };
    private readonly Option<bool> values = new("--values") { Description = "Numbers instead of symbols: input 0 to 9 and kernel −2 to 2, drawn from --seed" };
    private readonly Option<ulong> seed = new("--seed") { Description = "Seed of --values", DefaultValueFactory = _ => 1 };
    private readonly Option<string?> animate = new("--animate") { Description = "Write an animated GIF of the window sliding over the input, one frame per output element" };
    private readonly Option<bool> overwrite = new("--overwrite") { Description = "Replace the --animate file if it exists (otherwise refused, nothing written)" };
    private readonly Option<int> delay = new("--delay") { Description = "Hundredths of a second per animation frame", DefaultValueFactory = _ => 70 };

    public void AddTo(Command command)
    {
        Option[] shared = [input, kernel, stride, padding, dilation];
        Option[] convolution = [transposed, outputPadding];
        foreach (Option option in shared.Concat(pooling ? [] : convolution).Concat([values, seed, animate, overwrite, delay]))
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The GIF to write (checked to end in .gif, and not to replace a file without --overwrite), or null.</summary>
    public string? Animation(ParseResult parsed)
    {
        string? gif = parsed.GetValue(animate);
        if (gif is not null)
        {
            OutputFiles.RequireFile(gif, "--animate", ".gif", parsed.GetValue(overwrite));
        }
        return gif;
    }

    /// <summary>Hundredths of a second per frame, at least 1.</summary>
    public int Delay(ParseResult parsed) =>
        parsed.GetValue(delay) is var d && d >= 1 ? d : throw new UserErrorException($"--delay must be at least 1 (hundredths of a second) but got {d}");

    /// <summary>The explanation the sizes ask for; the layers' own checks refuse impossible ones.</summary>
    public ConvolutionExplanation Read(ParseResult parsed)
    {
        int[] k = Size(parsed.GetValue(kernel)!, "--kernel");
        int[] s = parsed.GetValue(stride) is { } text ? Size(text, "--stride") : pooling ? k : [1, 1];
        int[] i = Size(parsed.GetValue(input)!, "--input"), p = Size(parsed.GetValue(padding)!, "--padding", 0), d = Size(parsed.GetValue(dilation)!, "--dilation");
        return pooling ? ConvolutionExplanation.MaxPooling(i, k, s, p, d)
            : parsed.GetValue(transposed) ? ConvolutionExplanation.Transposed(i, k, s, p, d, Size(parsed.GetValue(outputPadding)!, "--output-padding", 0))
            : ConvolutionExplanation.Convolution(i, k, s, p, d);
    }

    /// <summary>The seeded numbers when --values is given.</summary>
    public ExplainValues? Values(ParseResult parsed, ConvolutionExplanation explained) =>
        parsed.GetValue(values) ? ExplainValues.Draw(explained, parsed.GetValue(seed)) : null;

    /// <summary>Parses N or HxW (also H×W) into (rows, columns).</summary>
    private static int[] Size(string text, string option, int minimum = 1)
    {
        string[] parts = text.Split('x', '×', 'X');
        if (parts.Length > 2 || !parts.All(part => int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= minimum))
        {
            throw new UserErrorException($"{option} must be a size N or HxW of integers ≥ {minimum} but got '{text}'");
        }
        int[] sizes = parts.Select(part => int.Parse(part.Trim(), CultureInfo.InvariantCulture)).ToArray();
        return sizes.Length == 1 ? [sizes[0], sizes[0]] : sizes;
    }
}
