using System.Reflection;

namespace Convolve.Cli;

/// <summary>Entry point of the <c>convolve</c> tool.</summary>
public static class Program
{
    /// <summary>Runs the tool; returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string version = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        if (args.Length == 1 && args[0] is "--version")
        {
            Console.WriteLine(version);
            return 0;
        }
        if (args.Length == 0 || args[0] is "--help" or "-h")
        {
            Console.WriteLine($"convolve {version}: a convolutional neural network engine in pure managed C#.");
            Console.WriteLine("Usage: convolve --help | --version");
            return 0;
        }
        Console.Error.WriteLine($"convolve: unknown command '{args[0]}'; run 'convolve --help'");
        return 2;
    }
}
