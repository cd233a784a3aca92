namespace Convolve.Cli;

/// <summary>Checks of the files a command reads and writes, made before any work starts.</summary>
internal static class InputFiles
{
    /// <summary>
    /// An existing file given as <paramref name="what"/>, as messages show it (relative to the working
    /// directory when below it); a folder or a missing path is a user error.
    /// </summary>
    public static string RequireFile(string path, string what)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new UserErrorException($"{what} {path} is a folder, not a file{(File.Exists(Path.Combine(full, "best.safetensors")) ? $" (did you mean {Path.Combine(path, "best.safetensors")}?)" : "")}");
        }
        if (!File.Exists(full))
        {
            throw new UserErrorException($"{what} {path} does not exist");
        }
        return CliPaths.Shown(full);
    }

    /// <summary>
    /// The full path of a file to write as <paramref name="option"/>: its folder must exist, it must
    /// not be a folder or one of <paramref name="inputs"/>, and an existing file is only replaced
    /// with <c>--overwrite</c>.
    /// </summary>
    public static string RequireOutput(string path, string option, bool overwrite, params string[] inputs)
    {
        string full = Path.GetFullPath(path);
        if (inputs.Any(input => SameFile(input, full)))
        {
            throw new UserErrorException($"{option} {path} is the input file; writing it would destroy the input. Choose another {option}");
        }
        if (Directory.Exists(full))
        {
            throw new UserErrorException($"{option} {path} is a folder; give a file name");
        }
        string folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new UserErrorException($"{option} {path}: the folder {folder} does not exist");
        }
        OutputFiles.RequireAbsent(path, option, overwrite);
        return full;
    }

    /// <summary>Whether two paths name the same file, following symbolic links.</summary>
    public static bool SameFile(string first, string second) =>
        string.Equals(Resolve(first), Resolve(second), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private static string Resolve(string path)
    {
        string full = Path.GetFullPath(path);
        try
        {
            return File.Exists(full) ? new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full : full;
        }
        catch (IOException)
        {
            return full;
        }
    }
}
