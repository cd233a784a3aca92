using Convolve.Cli;

namespace Convolve.Tests.Cli;

/// <summary>Runs the <c>convolve</c> tool in-process and captures what it prints.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return new Result(code, output.ToString(), error.ToString());
    }

    /// <summary>Requires the rule for user errors: exit code 2 and one line on stderr, no stack trace; returns the line.</summary>
    public static string UserError(Result result)
    {
        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}, stderr: {result.Error}");
        string line = Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.StartsWith("convolve: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", line, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter '", line, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", line, StringComparison.Ordinal);
        return line;
    }
}
