using System.CommandLine;
using Convolve.Diagnostics;

namespace Convolve.Cli.Commands;

/// <summary>
/// <c>convolve shapes</c>: the convolution-arithmetic calculator along one dimension. For a
/// convolution: the output size and the input rows the floor rounding leaves unused; for a
/// transposed convolution: the output size, and with <c>--want</c> the output padding that reaches it.
/// </summary>
internal static class ShapesCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Option<int>("--input", "-i") { Description = "Input size along one dimension", Required = true };
        var kernel = new Option<int>("--kernel", "-k") { Description = "Kernel size", Required = true };
        var stride = new Option<int>("--stride", "-s") { Description = "Stride", DefaultValueFactory = _ => 1 };
        var padding = new Option<int>("--padding", "-p") { Description = "Zero padding on each side", DefaultValueFactory = _ => 0 };
        var dilation = new Option<int>("--dilation", "-d") { Description = "Dilation", DefaultValueFactory = _ => 1 };
        var transposed = new Option<bool>("--transposed", "-t") { Description = "Transposed convolution (deconvolution)" };
        var outputPadding = new Option<int>("--output-padding") { Description = "Output padding (transposed only)", DefaultValueFactory = _ => 0 };
        var want = new Option<int?>("--want") { Description = "Wanted output size of the transposed convolution: prints the output padding that reaches it" };
        var command = new Command("shapes", "Convolution arithmetic: output size, input rows left unused by the rounding, and the output padding a transposed convolution needs.")
        {
            input, kernel, stride, padding, dilation, transposed, outputPadding, want,
        };
        command.SetAction(parsed =>
        {
            int i = parsed.GetValue(input), k = parsed.GetValue(kernel), s = parsed.GetValue(stride), p = parsed.GetValue(padding), d = parsed.GetValue(dilation);
            TextWriter o = context.Output;
            if (!parsed.GetValue(transposed))
            {
                int output = ConvolutionArithmetic.OutputSize(i, k, s, p, d);
                int unused = ConvolutionArithmetic.UnusedInput(i, k, s, p, d);
                o.WriteLine($"convolution: input {i}, kernel {k}, stride {s}, padding {p}, dilation {d}");
                o.WriteLine($"  output = floor(({i} + 2·{p} − {d}·({k} − 1) − 1) / {s}) + 1 = {output}");
                o.WriteLine(unused == 0
                    ? "  every input position is used"
                    : $"  the last {unused} input position(s) are never covered (the floor drops them); a transposed convolution undoes this with output padding {unused}");
                return CliApp.Success;
            }
            int? wanted = parsed.GetValue(want);
            int op = wanted is int target ? ConvolutionArithmetic.OutputPaddingFor(i, target, k, s, p, d) : parsed.GetValue(outputPadding);
            int size = ConvolutionArithmetic.TransposedOutputSize(i, k, s, p, op, d);
            o.WriteLine($"transposed convolution: input {i}, kernel {k}, stride {s}, padding {p}, output padding {op}, dilation {d}");
            o.WriteLine($"  output = ({i} − 1)·{s} − 2·{p} + {d}·({k} − 1) + {op} + 1 = {size}");
            if (wanted is not null)
            {
                o.WriteLine($"  output padding {op} reaches the wanted size {wanted}");
            }
            return CliApp.Success;
        });
        return command;
    }
}
