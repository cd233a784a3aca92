namespace Convolve.Serialization;

/// <summary>
/// Saves checkpoints atomically: after <see cref="Save"/> returns, the target holds the complete
/// new checkpoint; if it throws, or the process dies at any moment, the target still holds the
/// complete previous checkpoint (or still does not exist).
/// </summary>
/// <remarks>
/// Steps: validate everything (names, metadata, no NaN or ±Inf) before touching the disk; delete
/// stale temporaries of this target left by killed saves (<see cref="DeleteStaleTemporaryFiles"/>);
/// write <c>.NAME.&lt;32 hex&gt;.tmp</c> in the target's folder, holding it exclusively; flush it to
/// disk; rename it over the target; fsync the folder where the OS allows it (see
/// <c>DirectorySync</c>). On any failure the temporary is deleted and the exception propagates.
/// A temporary can only outlive its save if the process is killed; the next save of the same
/// target removes it. Concurrent saves to one target from several processes are not supported:
/// the target is always one complete checkpoint, but a save may fail if another sweeps its
/// temporary between writing and renaming. A symbolic link at the target is replaced, not followed.
/// </remarks>
public static class CheckpointWriter
{
    /// <summary>
    /// Saves <paramref name="tensors"/> (any order; written in ordinal name order) and
    /// <paramref name="metadata"/> (string values; the format marker is added) to <paramref name="path"/>.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A tensor has NaN or ±Inf (the message names it and the element index), a name is empty,
    /// duplicated or "__metadata__", text has unpaired surrogates, a reserved metadata key has a
    /// different value, or the header would exceed the reader's limit. Nothing is written.
    /// </exception>
    /// <exception cref="DirectoryNotFoundException">The target's folder does not exist.</exception>
    /// <exception cref="IOException">Writing or renaming failed; the previous target is untouched.</exception>
    public static void Save(string path, IEnumerable<TensorData> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        SaveCore(path, tensors, metadata, static stream => stream);

    /// <summary>
    /// Deletes temporaries left by killed saves of <paramref name="path"/> (files named
    /// <c>.NAME.&lt;32 lowercase hex&gt;.tmp</c> beside it that no live save holds open) and returns
    /// how many. <see cref="Save"/> calls this itself; call it directly to tidy up at start-up.
    /// </summary>
    public static int DeleteStaleTemporaryFiles(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return CheckpointTemporaryFiles.DeleteStale(Path.GetFullPath(path));
    }

    /// <summary>The save, with a hook that wraps the temporary file's stream (tests inject write failures).</summary>
    internal static void SaveCore(string path, IEnumerable<TensorData> tensors, IReadOnlyDictionary<string, string>? metadata, Func<Stream, Stream> wrapStream)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var content = CheckpointContent.Prepare(tensors, metadata, refuseNonFinite: true);
        byte[] header = SafetensorsEncoder.EncodeHeader(content);
        string target = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(target)
            ?? throw new ArgumentException($"cannot save a checkpoint to {target}: it is not a file path", nameof(path));
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"cannot save checkpoint {target}: folder {directory} does not exist; create it first");
        }
        CheckpointTemporaryFiles.DeleteStale(target);
        string temporary = CheckpointTemporaryFiles.NewPath(target);
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                Stream output = wrapStream(file);
                SafetensorsEncoder.Write(output, header, content);
                output.Flush();
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            CheckpointTemporaryFiles.TryDelete(temporary);
            throw;
        }
        DirectorySync.TryFlush(directory);
    }
}
