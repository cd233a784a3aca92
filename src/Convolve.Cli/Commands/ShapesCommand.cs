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
        var input = CliOptions.Integer("--input", "Input size along one dimension", 0, min: 1, alias: "-i");
        input.Required = true;
        var kernel = CliOptions.Integer("--kernel", "Kernel size", 0, min: 1, alias: "-k");
        kernel.Required = true;
        var stride = CliOptions.Integer("--stride", "Stride", 1, min: 1, alias: "-s");
        var padding = CliOptions.Integer("--padding", "Zero padding on each side", 0, min: 0, alias: "-p");
        var dilation = CliOptions.Integer("--dilation", "Dilation", 1, min: 1, alias: "-d");
        var transposed = new Option<bool>("--transposed", "-t") { Description = "Transposed convolution (deconvolution)" };
        var outputPadding = CliOptions.Integer("--output-padding", "Output padding (with --transposed only)", 0, min: 0);
        var want = CliOptions.OptionalInteger("--want", "Wanted output size of the transposed convolution (with --transposed only): prints the output padding that reaches it", min: 1);
        var command = new Command("shapes", "Convolution arithmetic: output size, input rows left unused by the rounding, and the output padding a transposed convolution needs.")
        {
            input, kernel, stride, padding, dilation, transposed, outputPadding, want,
        };
        command.Validators.Add(result =>
        {
            bool isTransposed = result.GetValue(transposed);
            foreach (Option option in (Option[])[outputPadding, want])
            {
                if (result.GetResult(option) is { Implicit: false } given && !isTransposed)
                {
                    result.AddError($"{option.Name} {(given.Tokens.Count > 0 ? given.Tokens[0].Value : "")} applies only to a transposed convolution; add --transposed");
                }
            }
            if (result.GetResult(outputPadding) is { Implicit: false } && result.GetResult(want) is { Implicit: false })
            {
                result.AddError("--output-padding and --want cannot be given together: --want computes the output padding");
            }
        });
        command.SetAction(parsed =>
        {
            int i = parsed.GetValue(input), k = parsed.GetValue(kernel), s = parsed.GetValue(stride), p = parsed.GetValue(padding), d = parsed.GetValue(dilation);
            try
            {
                if (parsed.GetValue(transposed))
                {
                    Transposed(context.Output, i, k, s, p, d, parsed.GetValue(outputPadding), parsed.GetValue(want));
                }
                else
                {
                    Convolution(context.Output, i, k, s, p, d);
                }
            }
            catch (ArgumentException ex)
            {
                string reason = CliErrors.Describe(ex).Replace("ConvolutionArithmetic: ", "", StringComparison.Ordinal);
                throw new UserErrorException($"--input {i} --kernel {k} --stride {s} --padding {p} --dilation {d}: {reason}");
            }
            return CliApp.Success;
        });
        return command;
    }

    private static void Convolution(TextWriter o, int i, int k, int s, int p, int d)
    {
        int output = ConvolutionArithmetic.OutputSize(i, k, s, p, d);
        int unused = ConvolutionArithmetic.UnusedInput(i, k, s, p, d);
        o.WriteLine($"convolution: input {i}, kernel {k}, stride {s}, padding {p}, dilation {d}");
        o.WriteLine($"  output = floor(({i} + 2·{p} − {d}·({k} − 1) − 1) / {s}) + 1 = {output}");
        o.WriteLine(unused == 0
            ? "  every input position is used"
            : $"  the last {unused} input position(s) are never covered (the floor drops them); a transposed convolution undoes this with output padding {unused}");
    }

    private static void Transposed(TextWriter o, int i, int k, int s, int p, int d, int outputPadding, int? wanted)
    {
        int op = wanted is int target ? ConvolutionArithmetic.OutputPaddingFor(i, target, k, s, p, d) : outputPadding;
        int size = ConvolutionArithmetic.TransposedOutputSize(i, k, s, p, op, d);
        o.WriteLine($"transposed convolution: input {i}, kernel {k}, stride {s}, padding {p}, output padding {op}, dilation {d}");
        o.WriteLine($"  output = ({i} − 1)·{s} − 2·{p} + {d}·({k} − 1) + {op} + 1 = {size}");
        if (wanted is not null)
        {
            o.WriteLine($"  output padding {op} reaches the wanted size {wanted}");
        }
    }
}
