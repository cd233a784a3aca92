using Convolve.Data;
using Convolve.Tensors;

namespace Convolve.Tests.DataPipeline;

/// <summary>Dataset loading from IDX, its checks, statistics and normalisation.</summary>
public sealed class DatasetTests : IDisposable
{
    private readonly IdxBytes files = new();

    public void Dispose() => files.Dispose();

    private (string Images, string Labels) Pair(byte[] pixels, uint[] imageDims, byte[] labels)
    {
        string images = files.File("images", IdxBytes.Gzip(IdxBytes.Build(0x08, imageDims, pixels)));
        return (images, files.File("labels", IdxBytes.Build(0x08, [(uint)labels.Length], labels)));
    }

    [Fact]
    public void Ubyte_images_become_N_1_H_W_scaled_by_255()
    {
        var (images, labels) = Pair([0, 51, 255, 102, 1, 2, 3, 4], [2, 2, 2], [3, 9]);
        var dataset = Dataset.FromIdx(images, labels);
        Assert.Equal(new Shape(2, 1, 2, 2), dataset.Images.Shape);
        Assert.Equal(new Shape(1, 2, 2), dataset.ItemShape);
        Assert.Equal([0f, 51 / 255f, 1f, 102 / 255f, 1 / 255f, 2 / 255f, 3 / 255f, 4 / 255f], dataset.Images.Data);
        Assert.Equal([3, 9], dataset.Labels);
        Assert.Equal(2, dataset.Count);
        Assert.Equal(10, dataset.Classes);
    }

    [Fact]
    public void Count_mismatch_names_both_files_and_counts()
    {
        var (images, labels) = Pair(new byte[12], [3, 2, 2], [1, 2]);
        var ex = Assert.Throws<IdxFormatException>(() => Dataset.FromIdx(images, labels));
        Assert.Contains($"{images} holds 3 images but {labels} holds 2 labels", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_outside_the_classes_names_file_offset_and_value()
    {
        var (images, labels) = Pair(new byte[12], [3, 2, 2], [1, 10, 2]);
        var ex = Assert.Throws<IdxFormatException>(() => Dataset.FromIdx(images, labels));
        Assert.Equal(labels, ex.FileName);
        Assert.Equal(9, ex.Offset);
        Assert.Contains("label 1 is 10, outside the classes [0, 10)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, Dataset.FromIdx(images, labels, classes: 11).Labels[2] + 1);
    }

    [Fact]
    public void Wrong_ranks_and_types_are_refused()
    {
        string rank2 = files.File("rank2", IdxBytes.Build(0x08, [2, 4], new byte[8]));
        string labels = files.File("labels", IdxBytes.Build(0x08, [2], [0, 1]));
        Assert.Contains("rank 3 [N, H, W] or 4 [N, C, H, W] but found rank 2 [2, 4]",
            Assert.Throws<IdxFormatException>(() => Dataset.FromIdx(rank2, labels)).Message, StringComparison.Ordinal);
        string floatLabels = files.File("float-labels", IdxBytes.Build(0x0D, [2], new byte[8]));
        Assert.Contains("integer element type but found float32 (0x0D)",
            Assert.Throws<IdxFormatException>(() => Dataset.FromIdx(rank2, floatLabels)).Message, StringComparison.Ordinal);
        string int16Images = files.File("int16", IdxBytes.Build(0x0B, [2, 1, 1], new byte[4]));
        Assert.Contains("ubyte (0x08), float32 (0x0D) or float64 (0x0E) but found int16 (0x0B)",
            Assert.Throws<IdxFormatException>(() => Dataset.FromIdx(int16Images, labels)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_checks_shape_labels_and_classes()
    {
        Assert.Contains("[N, C, H, W] but got [2, 3]", Assert.Throws<ArgumentException>(() => new Dataset(Tensor.Zeros(2, 3), [0, 0], 2)).Message, StringComparison.Ordinal);
        Assert.Contains("hold 2 items but there are 3 labels", Assert.Throws<ArgumentException>(() => new Dataset(Tensor.Zeros(2, 1, 1, 1), [0, 0, 0], 2)).Message, StringComparison.Ordinal);
        Assert.Contains("label 1 is -1, outside [0, 2)", Assert.Throws<ArgumentException>(() => new Dataset(Tensor.Zeros(2, 1, 1, 1), [0, -1], 2)).Message, StringComparison.Ordinal);
        Assert.Contains("classes must be positive but got 0", Assert.Throws<ArgumentException>(() => new Dataset(Tensor.Zeros(1, 1, 1, 1), [0], 0)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mean_and_std_are_the_population_statistics_and_normalize_applies_them()
    {
        // Values 1, 2, 3, 6: mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5.
        var dataset = new Dataset(Tensor.FromArray([1f, 2f, 3f, 6f], 2, 1, 1, 2), [0, 1], 2);
        var (mean, std) = dataset.ComputeMeanStd();
        Assert.Equal(3.0, mean, 12);
        Assert.Equal(Math.Sqrt(3.5), std, 12);
        dataset.Normalize(2, 4);
        Assert.Equal([-0.25f, 0f, 0.25f, 1f], dataset.Images.Data);
        Assert.Equal(-0.5f, dataset.ZeroPixelValue);
        Assert.Contains("already normalised with mean 2 and std 4", Assert.Throws<InvalidOperationException>(() => dataset.Normalize(0, 1)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN, 1, "mean", "NaN")]
    [InlineData(0, 0, "std", "positive but got 0")]
    [InlineData(0, double.PositiveInfinity, "std", "Infinity")]
    public void Normalize_refuses_bad_statistics(double mean, double std, string argument, string shown)
    {
        var dataset = new Dataset(Tensor.Zeros(1, 1, 1, 1), [0], 1);
        var ex = Assert.Throws<ArgumentException>(() => dataset.Normalize(mean, std));
        Assert.Equal(argument, ex.ParamName);
        Assert.Contains(shown, ex.Message, StringComparison.Ordinal);
        Assert.False(dataset.IsNormalized);
    }

    [Fact]
    public void Bundled_sample_loads_balanced()
    {
        var files = DatasetLocator.TryFind(DatasetLocator.SampleDirectory, DatasetSource.Sample);
        Assert.NotNull(files);
        AssertBalanced(files.LoadTrain(), 5000, 500);
        AssertBalanced(files.LoadTest(), 1000, 100);
    }

    [RealDataFact]
    public void Full_fashion_mnist_loads_with_its_published_statistics()
    {
        var files = DatasetLocator.TryFind(DatasetLocator.SystemDirectory, DatasetSource.System)!;
        var train = files.LoadTrain();
        AssertBalanced(train, 60000, 6000);
        // The widely quoted Fashion-MNIST training statistics are mean 0.2860 and std 0.3530.
        var (mean, std) = train.ComputeMeanStd();
        Assert.Equal(0.2860, mean, 4);
        Assert.Equal(0.3530, std, 4);
        AssertBalanced(files.LoadTest(), 10000, 1000);
    }

    private static void AssertBalanced(Dataset dataset, int count, int perClass)
    {
        Assert.Equal(new Shape(count, 1, 28, 28), dataset.Images.Shape);
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float x in dataset.Images.Data)
        {
            (min, max) = (Math.Min(min, x), Math.Max(max, x));
        }
        Assert.Equal((0f, 1f), (min, max));
        var counts = new int[10];
        foreach (int label in dataset.Labels)
        {
            counts[label]++;
        }
        Assert.All(counts, c => Assert.Equal(perClass, c));
    }
}
