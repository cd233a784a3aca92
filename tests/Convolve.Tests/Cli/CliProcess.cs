using System.Diagnostics;
using Convolve.Tests.Serialization;

namespace Convolve.Tests.Cli;

/// <summary>
/// Runs the <c>convolve</c> tool as a separate process (the Convolve.Cli.dll copied beside the
/// tests), for what cannot be tested in-process: environment variables read once per process, a
/// memory limit, another working directory, a kill.
/// </summary>
internal static class CliProcess
{
    private static readonly string[] Inherited = ["CONVOLVE_DATA", "CONVOLVE_THREADS", "CONVOLVE_SIMD", "CONVOLVE_GEMM", "CONVOLVE_DEBUG"];

    /// <summary>Starts the tool with <paramref name="environment"/> on top of a clean CONVOLVE_* environment.</summary>
    public static Process Start(IReadOnlyDictionary<string, string>? environment, string? workingDirectory, params string[] args) =>
        Start(environment, workingDirectory, [], args);

    /// <summary>
    /// As <see cref="Start(IReadOnlyDictionary{string, string}?, string?, string[])"/>, with Ctrl-C (SIGINT) at its default
    /// action: a test host may run with SIGINT ignored, which a child inherits and .NET then never reports.
    /// </summary>
    public static Process StartInterruptible(params string[] args) => Start(null, null, ["env", "--default-signal=INT"], args);

    private static Process Start(IReadOnlyDictionary<string, string>? environment, string? workingDirectory, string[] launcher, string[] args)
    {
        var start = new ProcessStartInfo(launcher.Length > 0 ? launcher[0] : SaveChildProcess.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        if (launcher.Length > 0)
        {
            // The launcher's own arguments, then the dotnet host it starts.
            foreach (string arg in launcher[1..])
            {
                start.ArgumentList.Add(arg);
            }
            start.ArgumentList.Add(SaveChildProcess.DotnetHost());
        }
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Convolve.Cli.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (string name in Inherited)
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        return Process.Start(start) ?? throw new InvalidOperationException("could not start Convolve.Cli");
    }

    /// <summary>Runs the tool to the end and returns its exit code and output.</summary>
    public static CliRunner.Result Run(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Start(environment, null, args);
        Task<string> output = process.StandardOutput.ReadToEndAsync(), error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            Assert.Fail($"convolve {string.Join(' ', args)} did not finish in 2 minutes");
        }
        return new CliRunner.Result(process.ExitCode, output.Result, error.Result);
    }
}
