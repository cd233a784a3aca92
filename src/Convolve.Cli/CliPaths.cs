namespace Convolve.Cli;

/// <summary>Paths as the commands print them: relative to the working directory when below it, else in full.</summary>
internal static class CliPaths
{
    public static string Shown(string path)
    {
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}
