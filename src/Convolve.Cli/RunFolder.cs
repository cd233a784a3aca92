namespace Convolve.Cli;

/// <summary>
/// The folder a training run writes its checkpoints to. Before any data is read it is checked:
/// an existing run in it is never replaced without <c>--overwrite</c>, and it must be creatable
/// and writable (a probe file is written and removed, and folders created for the probe are
/// removed again). If the command then fails before the first checkpoint, the folders it created
/// are removed, so a failed command leaves no files.
/// </summary>
internal sealed class RunFolder(string path, string option)
{
    private readonly List<string> created = [];

    /// <summary>The full path of the folder.</summary>
    public string FullPath { get; } = Path.GetFullPath(path);

    /// <summary>The checkpoint files a run leaves in the folder.</summary>
    public static IReadOnlyList<string> RunFiles { get; } = ["last.safetensors", "best.safetensors"];

    /// <summary>Whether the folder already holds a run's checkpoints.</summary>
    public bool HoldsRun => RunFiles.Any(name => File.Exists(Path.Combine(FullPath, name)));

    /// <summary>Refuses to replace an existing run unless <paramref name="overwrite"/>.</summary>
    public void RequireNoRun(bool overwrite)
    {
        if (HoldsRun && !overwrite)
        {
            throw new UserErrorException(
                $"{option} {path} already holds a run ({string.Join(", ", RunFiles.Where(n => File.Exists(Path.Combine(FullPath, n))))}); "
                + $"continue it with --resume {path}, choose another --output, or pass --overwrite to replace it");
        }
    }

    /// <summary>Checks that the folder can be created and written, leaving nothing behind.</summary>
    public void RequireWritable()
    {
        try
        {
            Create();
            string probe = Path.Combine(FullPath, $".convolve-probe-{Guid.NewGuid():N}");
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            string reason = ex is FileNotFoundException or DirectoryNotFoundException ? "the system does not let a folder be made there" : CliErrors.Describe(ex);
            throw new UserErrorException($"{option} {path} cannot be written: {reason}");
        }
        finally
        {
            RemoveCreated();
        }
    }

    /// <summary>Creates the folder (and missing parents), remembering which it created.</summary>
    public void Create()
    {
        var missing = new Stack<string>();
        for (string? folder = FullPath; folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder))
            {
                throw new UserErrorException($"{option} {path} cannot be created: {folder} is a file, not a folder");
            }
            missing.Push(folder);
        }
        while (missing.Count > 0)
        {
            string folder = missing.Pop();
            Directory.CreateDirectory(folder);
            created.Add(folder);
        }
    }

    /// <summary>Removes the folders <see cref="Create"/> made, deepest first, where they are still empty.</summary>
    public void RemoveCreated()
    {
        for (int i = created.Count - 1; i >= 0; i--)
        {
            if (Directory.Exists(created[i]) && !Directory.EnumerateFileSystemEntries(created[i]).Any())
            {
                Directory.Delete(created[i]);
            }
        }
        created.Clear();
    }
}
