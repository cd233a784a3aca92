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

    /// <summary>Refuses an output file whose name is a folder or lacks the extension, before any work is done.</summary>
    public static void RequireFile(string path, string option, string extension)
    {
        if (Directory.Exists(path))
        {
            throw new UserErrorException($"{option} {path} is a folder; give a file name ending in {extension}");
        }
        if (!path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
        {
            throw new UserErrorException($"{option} must name a {extension} file but got '{path}'");
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
