using Convolve.Imaging;
using Convolve.Serialization;

namespace Convolve.Cli;

/// <summary>
/// The files a command writes, held in memory until everything has been computed, so a command
/// that fails writes nothing; each file is then written atomically (temporary file, rename).
/// </summary>
internal sealed class OutputFiles
{
    private readonly List<(string Path, byte[] Bytes)> files = [];

    /// <summary>Adds a file to write.</summary>
    public void Add(string path, byte[] bytes) => files.Add((path, bytes));

    /// <summary>Refuses an output folder that exists as a file, before any work is done.</summary>
    public static void RequireFolder(string folder, string option)
    {
        if (File.Exists(folder))
        {
            throw new UserErrorException($"{option} {folder} is a file; give a folder for the pictures");
        }
    }

    /// <summary>
    /// Refuses an output file whose name is a folder or lacks the extension, or that exists when not
    /// <paramref name="overwrite"/>, before any work is done.
    /// </summary>
    public static void RequireFile(string path, string option, string extension, bool overwrite)
    {
        if (Directory.Exists(path))
        {
            throw new UserErrorException($"{option} {path} is a folder; give a file name ending in {extension}");
        }
        if (!path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
        {
            throw new UserErrorException($"{option} must name a {extension} file but got '{path}'");
        }
        RequireAbsent(path, option, overwrite);
    }

    /// <summary>Refuses to replace an existing file unless <paramref name="overwrite"/> (the promise of every command's <c>--overwrite</c>).</summary>
    public static void RequireAbsent(string path, string option, bool overwrite)
    {
        if (File.Exists(path) && !overwrite)
        {
            throw new UserErrorException($"{option} {path} already exists; pass --overwrite to replace it, or choose another {option}");
        }
    }

    /// <summary>
    /// Refuses to replace any of the files <paramref name="names"/> already in <paramref name="folder"/> unless
    /// <paramref name="overwrite"/>; <paramref name="option"/> is how the message names the folder.
    /// </summary>
    public static void RequireNoneIn(string folder, IEnumerable<string> names, string option, bool overwrite)
    {
        string[] existing = [.. names.Where(name => File.Exists(Path.Combine(folder, name)))];
        if (existing.Length > 0 && !overwrite)
        {
            string listed = existing.Length switch
            {
                1 => existing[0],
                <= 3 => $"{string.Join(", ", existing[..^1])} and {existing[^1]}",
                _ => $"{string.Join(", ", existing[..3])} and {existing.Length - 3} more",
            };
            throw new UserErrorException(
                $"{option} {CliPaths.Shown(folder)} already holds {listed}; pass --overwrite to replace {(existing.Length == 1 ? "it" : "them")}, or choose another --output");
        }
    }

    /// <summary>Writes every file and says where.</summary>
    public void Commit(TextWriter log)
    {
        foreach (var (path, bytes) in files)
        {
            AtomicFile.WriteAllBytes(path, bytes);
            log.WriteLine($"wrote {path}");
        }
    }
}
