namespace Convolve.Cli;

/// <summary>The streams a command writes to; only the CLI touches the terminal.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error)
{
    /// <summary>Standard output.</summary>
    public TextWriter Output { get; } = output;

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>True when standard output is a terminal that can draw live progress.</summary>
    public bool IsInteractive => ReferenceEquals(Output, Console.Out) && !Console.IsOutputRedirected;
}
