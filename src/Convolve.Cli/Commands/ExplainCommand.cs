using System.CommandLine;
using Convolve.Cli.Explain;
using Convolve.Diagnostics;
using Convolve.Imaging;
using Convolve.Visualization;

namespace Convolve.Cli.Commands;

/// <summary>
/// <c>convolve explain conv|pool</c>: a convolution, transposed convolution or max pooling of one
/// small single-channel input, spelled out as matrices (im2col, C, Cᵀ) or windows and switches,
/// with symbols or seeded numbers, and optionally animated.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("explain", "Spell out a convolution (im2col, the convolution matrix C and its transpose) or a max pooling (windows and switches), with an optional animation.");
        command.Subcommands.Add(Build(context, new Command("conv", "A convolution (or with --transposed its transpose) of one input: im2col, the flattened kernel, C, Cᵀ and the output-size rules."), pooling: false));
        command.Subcommands.Add(Build(context, new Command("pool", "Max pooling of one input: each window, its maximum and its switch; max unpooling with the switches."), pooling: true));
        return command;
    }

    private static Command Build(CliContext context, Command command, bool pooling)
    {
        var options = new ExplainOptions(pooling);
        options.AddTo(command);
        command.SetAction(parsed =>
        {
            string? gif = options.Animation(parsed);
            ConvolutionExplanation explained = options.Read(parsed);
            ExplainValues? numbers = options.Values(parsed, explained);
            var files = new OutputFiles();
            if (gif is not null)
            {
                files.Add(gif, Animate(explained, numbers, options.Delay(parsed)));
            }
            if (pooling)
            {
                PoolingText.Write(context.Output, explained, numbers);
            }
            else
            {
                ConvolutionText.Write(context.Output, explained, numbers);
            }
            files.Commit(context.Output);
            return CliApp.Success;
        });
        return command;
    }

    private static byte[] Animate(ConvolutionExplanation explained, ExplainValues? numbers, int delay)
    {
        var g = explained.Geometry;
        string name = explained.Kind switch { WindowKind.Convolution => "CONV", WindowKind.TransposedConvolution => "TRANSPOSED CONV", _ => "MAX POOL" };
        string title = $"{name} {Symbols.Size(explained.InputSize)} K{Symbols.Size(g.Kernel)} S{Symbols.Size(g.Stride)} P{Symbols.Size(g.PadBefore)} D{Symbols.Size(g.Dilation)} -> {Symbols.Size(explained.OutputSize)}";
        float[]? outputs = numbers is null ? null
            : explained.Kind == WindowKind.MaxPooling ? Maxima(explained, numbers.Input) : numbers.Output;
        try
        {
            return AnimatedGif.Encode(WindowAnimation.Frames(explained, title, numbers?.Input, outputs), delay);
        }
        catch (ArgumentException ex) when (explained.Kind == WindowKind.TransposedConvolution)
        {
            throw new UserErrorException($"--animate: {ex.Message.Replace(" (Parameter 'e')", "", StringComparison.Ordinal)}");
        }
    }

    private static float[] Maxima(ConvolutionExplanation e, float[] input) =>
        Enumerable.Range(0, e.Im2Col.GetLength(1))
            .Select(p => Enumerable.Range(0, e.Im2Col.GetLength(0)).Select(t => e.Im2Col[t, p]).Where(i => i >= 0).Max(i => input[i]))
            .ToArray();
}
