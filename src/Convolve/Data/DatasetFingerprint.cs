namespace Convolve.Data;

/// <summary>One file of a data set as a <see cref="DatasetFingerprint"/> records it.</summary>
/// <param name="Name">The file's name, without its folder.</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="Crc64">The CRC-64/XZ of its bytes, 16 lowercase hex digits.</param>
public sealed record DataFileFingerprint(string Name, long Length, string Crc64);

/// <summary>
/// What identifies the data a run trained on: the name, size and CRC-64 of each of its four files
/// (as stored, compressed or not). A resumed run compares the data it is given with the
/// fingerprint its checkpoint recorded, so that other data are never used by accident.
/// </summary>
/// <param name="Files">The training images and labels, then the test images and labels.</param>
public sealed record DatasetFingerprint(IReadOnlyList<DataFileFingerprint> Files)
{
    /// <summary>Reads the four files of <paramref name="files"/> and fingerprints them.</summary>
    public static DatasetFingerprint Of(DatasetFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return new DatasetFingerprint([.. new[] { files.TrainImages, files.TrainLabels, files.TestImages, files.TestLabels }.Select(OfFile)]);
    }

    /// <summary>
    /// Fingerprints any files (CIFAR-10 batches, the pictures of a folder), in the order given, each
    /// named by its path relative to <paramref name="root"/>.
    /// </summary>
    public static DatasetFingerprint OfFiles(IEnumerable<string> paths, string root)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return new DatasetFingerprint([.. paths.Select(path => OfFile(path) with { Name = Path.GetRelativePath(root, path) })]);
    }

    /// <summary>The first difference from <paramref name="recorded"/>, in words, or null when the two agree.</summary>
    public string? DifferenceFrom(DatasetFingerprint recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        if (recorded.Files is null || recorded.Files.Count != Files.Count)
        {
            return $"the run recorded {recorded.Files?.Count ?? 0} data files, not {Files.Count}";
        }
        foreach (var (now, then) in Files.Zip(recorded.Files))
        {
            if (now != then)
            {
                return $"{now.Name} is {now.Length:N0} bytes with CRC-64 {now.Crc64}, but the run trained on {then?.Name} of {then?.Length:N0} bytes with CRC-64 {then?.Crc64}";
            }
        }
        return null;
    }

    private static DataFileFingerprint OfFile(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var buffer = new byte[1 << 16];
        ulong state = Serialization.Crc64.Initial;
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            state = Serialization.Crc64.Update(state, buffer.AsSpan(0, read));
        }
        return new DataFileFingerprint(Path.GetFileName(path), file.Length, Serialization.Crc64.Format(Serialization.Crc64.Finish(state)));
    }
}
