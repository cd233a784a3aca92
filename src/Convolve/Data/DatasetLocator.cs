namespace Convolve.Data;

/// <summary>
/// Finds an MNIST-style file set (Fashion-MNIST or MNIST: <c>train-images-idx3-ubyte</c>,
/// <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>,
/// each raw or with <c>.gz</c>) in this order: an explicit directory, the <c>CONVOLVE_DATA</c>
/// environment variable, Debian's <c>/usr/share/datasets/fashion-mnist</c>, then the bundled
/// sample. A directory that is asked for (explicitly or by the variable) but incomplete is an
/// error, never silently skipped.
/// </summary>
public static class DatasetLocator
{
    /// <summary>The environment variable naming a data directory.</summary>
    public const string EnvironmentVariable = "CONVOLVE_DATA";

    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the data set.</summary>
    public const string SystemDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The file stems, without <c>.gz</c>, in the order of <see cref="DatasetFiles"/>.</summary>
    public static IReadOnlyList<string> FileStems { get; } =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>The bundled sample, copied beside the application (<c>data/fashion-mnist-sample</c>).</summary>
    public static string SampleDirectory => Path.Combine(AppContext.BaseDirectory, "data", "fashion-mnist-sample");

    /// <summary>Finds the data set; see the class description for the order.</summary>
    /// <param name="dataDirectory">An explicit directory (<c>--data DIR</c>), or null.</param>
    /// <exception cref="FileNotFoundException">An explicit or environment directory lacks a file, or nothing is found at all.</exception>
    public static DatasetFiles Locate(string? dataDirectory = null) =>
        Locate(dataDirectory, Environment.GetEnvironmentVariable(EnvironmentVariable), SystemDirectory, SampleDirectory);

    /// <summary>The search with every location given, so tests need not touch the process environment.</summary>
    internal static DatasetFiles Locate(string? dataDirectory, string? environmentValue, string systemDirectory, string sampleDirectory)
    {
        if (!string.IsNullOrEmpty(dataDirectory))
        {
            return Require(dataDirectory, DatasetSource.Explicit, "given with --data");
        }
        if (!string.IsNullOrEmpty(environmentValue))
        {
            return Require(environmentValue, DatasetSource.Environment, $"named by ${EnvironmentVariable}");
        }
        return TryFind(systemDirectory, DatasetSource.System)
            ?? TryFind(sampleDirectory, DatasetSource.Sample)
            ?? throw new FileNotFoundException(
                $"no data set found: not in {systemDirectory} nor in the bundled sample {sampleDirectory}; "
                + $"run 'apt-get install dataset-fashion-mnist', set ${EnvironmentVariable}, or pass --data DIR");
    }

    /// <summary>The file set in <paramref name="directory"/>, or null if any of the four files is missing.</summary>
    public static DatasetFiles? TryFind(string directory, DatasetSource source)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var paths = new string[FileStems.Count];
        for (int i = 0; i < paths.Length; i++)
        {
            string? path = Find(directory, FileStems[i]);
            if (path is null)
            {
                return null;
            }
            paths[i] = path;
        }
        return new DatasetFiles(paths[0], paths[1], paths[2], paths[3], Path.GetFullPath(directory), source);
    }

    private static DatasetFiles Require(string directory, DatasetSource source, string how)
    {
        if (TryFind(directory, source) is { } files)
        {
            return files;
        }
        var missing = FileStems.Where(stem => Find(directory, stem) is null).Select(stem => $"{stem}[.gz]");
        string what = Directory.Exists(directory) ? $"lacks {string.Join(", ", missing)}" : "does not exist";
        throw new FileNotFoundException(
            $"the data directory {directory} ({how}) {what}; it must hold {string.Join(", ", FileStems)}, each raw or .gz");
    }

    private static string? Find(string directory, string stem)
    {
        foreach (string name in (ReadOnlySpan<string>)[stem + ".gz", stem])
        {
            string path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                return path;
            }
        }
        return null;
    }
}
