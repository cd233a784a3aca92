namespace Convolve.Serialization;

/// <summary>
/// Writes a whole file or nothing: the content goes to a temporary file in the same folder
/// (<see cref="CheckpointTemporaryFiles"/> names it), which is flushed to disk and then renamed over
/// the target, so a crash or a full disk never leaves half a file. The checkpoint writer does the
/// same with its own additions (stale temporaries swept, the folder synced).
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes what <paramref name="write"/> puts into the stream to <paramref name="path"/>.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="write">Writes the whole content.</param>
    /// <param name="createFolder">Create the target's folder when missing (otherwise a missing folder is a <see cref="DirectoryNotFoundException"/>).</param>
    public static void Write(string path, Action<Stream> write, bool createFolder = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        if (createFolder)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        }
        string temporary = CheckpointTemporaryFiles.NewPath(full);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            CheckpointTemporaryFiles.TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="bytes">The whole content.</param>
    /// <param name="createFolder">Create the target's folder when missing.</param>
    public static void WriteAllBytes(string path, byte[] bytes, bool createFolder = true)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Write(path, stream => stream.Write(bytes), createFolder);
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark), creating the folder.</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));
    }
}
