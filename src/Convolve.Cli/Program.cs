namespace Convolve.Cli;

/// <summary>Entry point of the <c>convolve</c> tool.</summary>
public static class Program
{
    /// <summary>Runs the tool; returns the process exit code (0 success, 2 user error, 1 internal error).</summary>
    public static int Main(string[] args) => CliApp.Run(args, Console.Out, Console.Error);
}
