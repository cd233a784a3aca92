namespace Convolve.Serialization;

/// <summary>
/// Names and sweeps the temporary files of atomic saves. A save of <c>DIR/NAME</c> writes
/// <c>DIR/.NAME.&lt;32 lowercase hex&gt;.tmp</c> (hidden, recognisable, unique), holds it open
/// exclusively until it is complete, then renames it over <c>DIR/NAME</c>. A process killed
/// mid-save leaves its temporary behind; the next save of the same target deletes such stale
/// temporaries first. A temporary that is still open exclusively belongs to a live save and is
/// left alone (the operating system drops the lock when its process dies).
/// </summary>
internal static class CheckpointTemporaryFiles
{
    private const string Suffix = ".tmp";
    private const int TokenLength = 32;

    /// <summary>A fresh temporary path next to <paramref name="target"/> (a full path).</summary>
    public static string NewPath(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}{Suffix}");

    /// <summary>Whether <paramref name="fileName"/> is a temporary of a save to <paramref name="targetFileName"/>.</summary>
    public static bool IsTemporaryOf(string fileName, string targetFileName)
    {
        int prefixLength = targetFileName.Length + 2;
        if (fileName.Length != prefixLength + TokenLength + Suffix.Length
            || fileName[0] != '.' || fileName[prefixLength - 1] != '.'
            || !fileName.AsSpan(1).StartsWith(targetFileName, StringComparison.Ordinal)
            || !fileName.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }
        foreach (char c in fileName.AsSpan(prefixLength, TokenLength))
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Deletes the stale temporaries of <paramref name="target"/> (a full path); returns how many.</summary>
    public static int DeleteStale(string target)
    {
        string directory = Path.GetDirectoryName(target)!;
        string name = Path.GetFileName(target);
        int deleted = 0;
        foreach (string file in Directory.EnumerateFiles(directory))
        {
            if (IsTemporaryOf(Path.GetFileName(file), name) && TryDeleteUnlocked(file))
            {
                deleted++;
            }
        }
        return deleted;
    }

    /// <summary>Deletes a file, ignoring failure (used while another exception is propagating).</summary>
    public static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static bool TryDeleteUnlocked(string file)
    {
        try
        {
            // Opening exclusively fails while a live save holds the file (.NET takes an flock on
            // Unix and a share-none handle on Windows); DeleteOnClose removes it while still held.
            using var probe = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
