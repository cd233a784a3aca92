namespace Convolve.Data;

/// <summary>The four files of an MNIST-style data set (Fashion-MNIST, MNIST) and where they were found.</summary>
/// <param name="TrainImages">The training images (<c>train-images-idx3-ubyte</c>, raw or .gz).</param>
/// <param name="TrainLabels">The training labels (<c>train-labels-idx1-ubyte</c>).</param>
/// <param name="TestImages">The test images (<c>t10k-images-idx3-ubyte</c>).</param>
/// <param name="TestLabels">The test labels (<c>t10k-labels-idx1-ubyte</c>).</param>
/// <param name="DirectoryPath">The directory holding them.</param>
/// <param name="Source">Which rule of <see cref="DatasetLocator"/> found them.</param>
public sealed record DatasetFiles(string TrainImages, string TrainLabels, string TestImages, string TestLabels, string DirectoryPath, DatasetSource Source)
{
    /// <summary>
    /// One line saying where the data come from (a folder below the working directory shown
    /// relative to it), and for the sample how to get the full set.
    /// </summary>
    public string Description => Source switch
    {
        DatasetSource.Explicit => $"data from {Shown} (given with --data)",
        DatasetSource.Environment => $"data from {Shown} (from ${DatasetLocator.EnvironmentVariable})",
        DatasetSource.System => $"Fashion-MNIST from {Shown} (Debian package dataset-fashion-mnist)",
        DatasetSource.Recorded => $"data from {Shown} (the run's own, as its checkpoint records)",
        _ => $"the bundled Fashion-MNIST sample in {Shown} (5,000 training and 1,000 test images); "
            + "for the full set run 'apt-get install dataset-fashion-mnist' or pass --data DIR",
    };

    private string Shown
    {
        get
        {
            string relative = Path.GetRelativePath(Environment.CurrentDirectory, DirectoryPath);
            return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? DirectoryPath : relative;
        }
    }

    /// <summary>The names, sizes and CRC-64s of the four files (reads them).</summary>
    public DatasetFingerprint Fingerprint() => DatasetFingerprint.Of(this);

    /// <summary>Loads the training set (10 classes).</summary>
    public Dataset LoadTrain() => Dataset.FromIdx(TrainImages, TrainLabels);

    /// <summary>Loads the test set (10 classes).</summary>
    public Dataset LoadTest() => Dataset.FromIdx(TestImages, TestLabels);
}
