using System.CommandLine;
using Convolve.Cli.Commands;
using Convolve.Kernels;
using Convolve.Layers;

namespace Convolve.Cli;

/// <summary>
/// Builds the <c>convolve</c> command tree and runs it. User errors (bad arguments, environment
/// variables or files, impossible requests) print one line on the error stream naming the option,
/// variable or file and its value, and exit with code 2, never a stack trace (the rule lives in
/// <see cref="CliErrors"/>); internal errors exit with 1 and show the trace only with
/// <c>CONVOLVE_DEBUG=1</c>. Every command runs with the thread count <see cref="ThreadCount"/> resolves,
/// set here for the command's duration and restored after it.
/// </summary>
public static class CliApp
{
    /// <summary>Exit code of a successful run.</summary>
    public const int Success = 0;

    /// <summary>Exit code of an internal error (a bug).</summary>
    public const int InternalError = 1;

    /// <summary>Exit code of a user error: bad arguments, files or options.</summary>
    public const int UserError = 2;

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given streams.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var context = new CliContext(output, error);
        var algorithm = new Option<string?>("--conv-algorithm")
        {
            Description = $"Convolution algorithm of every layer: {ConvolutionAlgorithms.Help} "
                + $"(default: ${ConvolutionAlgorithms.EnvironmentVariable}, else auto)",
            Recursive = true,
        };
        Option<int?> threads = ThreadCount.CreateOption();
        RootCommand root = BuildRoot(context);
        root.Options.Add(algorithm);
        root.Options.Add(threads);
        ParseResult parsed = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parsed.Errors.Count > 0)
        {
            error.WriteLine($"convolve: {ParseErrors.Describe(parsed, root)}");
            return UserError;
        }
        if (ChooseAlgorithm(parsed.GetValue(algorithm)) is string problem)
        {
            error.WriteLine($"convolve: {problem}");
            return UserError;
        }
        try
        {
            CliEnvironment.Validate();
            using IDisposable scope = Parallelism.Use(ThreadCount.Resolve(parsed.GetValue(threads)));
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (RunInterruptedException interrupted)
        {
            error.WriteLine($"convolve: {interrupted.Message}");
            return TrainingInterruption.ExitCode;
        }
        catch (Exception ex) when (CliErrors.IsUserError(ex))
        {
            error.WriteLine($"convolve: {CliErrors.Describe(ex)}");
            return UserError;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error.WriteLine($"convolve: internal error: {ex.GetType().Name}: {ex.Message}");
            error.WriteLine(Environment.GetEnvironmentVariable("CONVOLVE_DEBUG") == "1"
                ? ex.ToString()
                : "this is a bug in convolve; rerun with CONVOLVE_DEBUG=1 for the stack trace");
            return InternalError;
        }
    }

    /// <summary>
    /// Sets <see cref="ConvolutionAlgorithms.Default"/> from <c>--conv-algorithm</c>, else checks
    /// <c>CONVOLVE_CONV_ALGORITHM</c>; returns the problem with either, or null.
    /// </summary>
    private static string? ChooseAlgorithm(string? option)
    {
        if (option is not null)
        {
            string? problem = ConvolutionAlgorithms.TryParse(option, out ConvolutionAlgorithm chosen);
            if (problem is not null)
            {
                return $"--conv-algorithm {problem}{Spelling.Suggestion(option, ConvolutionAlgorithms.Names)}";
            }
            ConvolutionAlgorithms.Default = chosen;
            return null;
        }
        string? variable = Environment.GetEnvironmentVariable(ConvolutionAlgorithms.EnvironmentVariable);
        return string.IsNullOrWhiteSpace(variable) || ConvolutionAlgorithms.TryParse(variable, out _) is not string invalid
            ? null
            : $"{ConvolutionAlgorithms.EnvironmentVariable}={invalid}";
    }

    private static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("convolve: a convolutional neural network engine in pure managed C#. Train, evaluate and inspect CNNs.");
        root.Subcommands.Add(TrainCommand.Create(context));
        root.Subcommands.Add(EvalCommand.Create(context));
        root.Subcommands.Add(PredictCommand.Create(context));
        root.Subcommands.Add(SummaryCommand.Create(context));
        root.Subcommands.Add(ShapesCommand.Create(context));
        root.Subcommands.Add(InspectCommand.Create(context));
        root.Subcommands.Add(InfoCommand.Create(context));
        root.Subcommands.Add(ExportCommand.Create(context));
        root.Subcommands.Add(ImportCommand.Create(context));
        root.Subcommands.Add(VisualizeCommand.Create(context));
        root.Subcommands.Add(ExplainCommand.Create(context));
        root.Subcommands.Add(ReportCommand.Create(context));
        return root;
    }
}
