using Convolve.Data;

namespace Convolve.Tests.DataPipeline;

/// <summary>Discovery order (explicit, environment, system, sample), file names, and the messages.</summary>
public sealed class DatasetLocatorTests : IDisposable
{
    private readonly IdxBytes files = new();

    public void Dispose() => files.Dispose();

    private string SetDirectory(string name, params string[] fileNames)
    {
        string directory = Path.Combine(files.Root, name);
        Directory.CreateDirectory(directory);
        foreach (string fileName in fileNames)
        {
            File.WriteAllBytes(Path.Combine(directory, fileName), [0, 0, 8, 1, 0, 0, 0, 0]);
        }
        return directory;
    }

    private string FullSet(string name, bool gzipNames) =>
        SetDirectory(name, [.. DatasetLocator.FileStems.Select(s => gzipNames ? s + ".gz" : s)]);

    private string Missing => Path.Combine(files.Root, "absent");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Explicit_directory_wins_with_gz_or_raw_names(bool gzipNames)
    {
        string explicitDirectory = FullSet("explicit", gzipNames);
        var found = DatasetLocator.Locate(explicitDirectory, FullSet("env", true), FullSet("system", true), FullSet("sample", true));
        Assert.Equal(DatasetSource.Explicit, found.Source);
        string suffix = gzipNames ? ".gz" : "";
        Assert.Equal(Path.Combine(explicitDirectory, "train-images-idx3-ubyte" + suffix), found.TrainImages);
        Assert.Equal(Path.Combine(explicitDirectory, "train-labels-idx1-ubyte" + suffix), found.TrainLabels);
        Assert.Equal(Path.Combine(explicitDirectory, "t10k-images-idx3-ubyte" + suffix), found.TestImages);
        Assert.Equal(Path.Combine(explicitDirectory, "t10k-labels-idx1-ubyte" + suffix), found.TestLabels);
        Assert.Contains("given with --data", found.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Mixed_names_are_accepted_preferring_gz()
    {
        string directory = SetDirectory("mixed", "train-images-idx3-ubyte.gz", "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte.gz");
        var found = DatasetLocator.TryFind(directory, DatasetSource.Explicit)!;
        Assert.EndsWith("train-images-idx3-ubyte.gz", found.TrainImages, StringComparison.Ordinal);
        Assert.EndsWith("train-labels-idx1-ubyte", found.TrainLabels, StringComparison.Ordinal);
        Assert.EndsWith("t10k-labels-idx1-ubyte.gz", found.TestLabels, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_comes_before_system_and_sample()
    {
        var found = DatasetLocator.Locate(null, FullSet("env", false), FullSet("system", true), FullSet("sample", true));
        Assert.Equal(DatasetSource.Environment, found.Source);
        Assert.Contains("$CONVOLVE_DATA", found.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void System_directory_comes_before_the_sample()
    {
        var found = DatasetLocator.Locate("", "", FullSet("system", true), FullSet("sample", true));
        Assert.Equal(DatasetSource.System, found.Source);
        Assert.Contains("dataset-fashion-mnist", found.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_is_the_last_resort_and_says_how_to_get_the_full_set()
    {
        string sample = FullSet("sample", true);
        var found = DatasetLocator.Locate(null, null, Missing, sample);
        Assert.Equal(DatasetSource.Sample, found.Source);
        Assert.Equal(sample, found.DirectoryPath);
        Assert.Contains("apt-get install dataset-fashion-mnist", found.Description, StringComparison.Ordinal);
        Assert.Contains("--data DIR", found.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void An_incomplete_explicit_or_environment_directory_is_an_error_not_skipped()
    {
        string partial = SetDirectory("partial", "train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte");
        var ex = Assert.Throws<FileNotFoundException>(() => DatasetLocator.Locate(partial, null, FullSet("system", true), Missing));
        Assert.Contains($"the data directory {partial} (given with --data) lacks train-labels-idx1-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<FileNotFoundException>(() => DatasetLocator.Locate(null, Missing, FullSet("system2", true), Missing));
        Assert.Contains($"the data directory {Missing} (named by $CONVOLVE_DATA) does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_found_says_what_to_do()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => DatasetLocator.Locate(null, null, Missing, Missing));
        Assert.Contains("apt-get install dataset-fashion-mnist", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CONVOLVE_DATA", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--data DIR", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bundled_sample_is_copied_beside_the_application()
    {
        var found = DatasetLocator.Locate(null, null, Missing, DatasetLocator.SampleDirectory);
        Assert.Equal(DatasetSource.Sample, found.Source);
        Assert.True(new FileInfo(found.TrainImages).Length > 1_000_000);
    }
}
