using Convolve.Data;
using Convolve.Imaging;
using Convolve.Tensors;

namespace Convolve.Cli;

/// <summary>The formats <c>--data DIR</c> takes.</summary>
internal enum DataKind
{
    /// <summary>An MNIST-style IDX file set.</summary>
    Idx,

    /// <summary>CIFAR-10's binary batches.</summary>
    Cifar,

    /// <summary>A folder with one subfolder of pictures per class.</summary>
    Pictures,
}

/// <summary>
/// The data a command trains or evaluates on, found before any of it is read: an IDX file set,
/// CIFAR-10 binary batches (<c>data_batch_1.bin</c> … <c>test_batch.bin</c>) or a folder of
/// pictures in torchvision's ImageFolder layout, tried in that order for <c>--data DIR</c>
/// (CIFAR first: its folder may also hold other files); without --data, the IDX search of
/// <see cref="DatasetLocator"/>. Sizes, fingerprints and class names come from headers, file
/// sizes and file listings; <see cref="LoadTrain"/> and <see cref="LoadTest"/> read the data.
/// </summary>
internal sealed class DataSource
{
    private readonly DatasetFiles? idx;
    private readonly ImageFolderPlan? pictures;

    private DataSource(DataKind kind, string directory, string description, DatasetFiles? idx, ImageFolderPlan? pictures, PictureOptions? options)
    {
        (Kind, DirectoryPath, Description, this.idx, this.pictures, Pictures) = (kind, directory, description, idx, pictures, options);
    }

    public DataKind Kind { get; }

    /// <summary>The folder, as a full path.</summary>
    public string DirectoryPath { get; }

    /// <summary>One line saying where the data come from.</summary>
    public string Description { get; }

    /// <summary>How pictures are read, for a folder of pictures; else null.</summary>
    public PictureOptions? Pictures { get; }

    /// <summary>Whether the test set is a held-out share of a folder of pictures.</summary>
    public bool HeldOut => pictures?.HeldOutFraction is not null;

    /// <summary>The padding of <c>--augment</c>'s random crop: 2 for IDX sets (as before), an eighth of the side for pictures and CIFAR-10.</summary>
    public int CropPadding => Kind switch { DataKind.Idx => 2, DataKind.Cifar => 4, _ => Math.Max(1, Pictures!.Size / 8) };

    /// <summary>
    /// Finds the data of <c>--data</c> (or, without it, the IDX search). With <paramref name="strict"/>,
    /// picture options given for data that are not pictures are refused.
    /// </summary>
    public static DataSource Locate(string? directory, PictureOptions options, bool strict, DatasetSource source = DatasetSource.Explicit)
    {
        string how = source == DatasetSource.Recorded ? "the run's own, as its checkpoint records" : "given with --data";
        if (!string.IsNullOrEmpty(directory) && Directory.Exists(directory) && Cifar10.IsCifarFolder(directory))
        {
            RequireNoPictureOptions(options, strict, $"CIFAR-10 batches in {directory}");
            string full = Path.GetFullPath(directory);
            return new DataSource(DataKind.Cifar, full, $"CIFAR-10 from {CliPaths.Shown(full)} ({how})", null, null, null);
        }
        if (!string.IsNullOrEmpty(directory) && DatasetLocator.TryFind(directory, source) is null && ImageFolder.IsImageFolder(directory))
        {
            ImageFolderPlan plan = ImageFolder.Plan(directory, options.Fraction);
            string split = plan.HeldOutFraction is double f ? $", {f:P0} of each class held out for testing" : "";
            return new DataSource(DataKind.Pictures, plan.Directory,
                $"{plan.ClassNames.Length} classes of pictures from {CliPaths.Shown(plan.Directory)} as {options.ChannelCount}×{options.Size}×{options.Size}{split} ({how})",
                null, plan, options);
        }
        DatasetFiles files = source == DatasetSource.Recorded
            ? DatasetLocator.TryFind(directory!, source) ?? throw new UserErrorException(
                $"the run trained on the data in {directory}, which no longer holds {string.Join(", ", DatasetLocator.FileStems)}, CIFAR-10 batches or class folders of pictures; pass --data DIR to resume on data elsewhere")
            : DatasetLocator.Locate(directory);
        RequireNoPictureOptions(options, strict, $"the IDX files in {files.DirectoryPath}");
        return new DataSource(DataKind.Idx, files.DirectoryPath, files.Description, files, null, null);
    }

    /// <summary>The training set's count and image shape, from headers, file sizes or the listing.</summary>
    public DataShape TrainShape() => Kind switch
    {
        DataKind.Idx => TrainingData.Inspect(idx!.TrainImages, idx.TrainLabels),
        DataKind.Cifar => CifarShape(Cifar10.TrainFiles(DirectoryPath)),
        _ => new DataShape(DirectoryPath, pictures!.TrainCount, PictureShape),
    };

    /// <summary>The test set's count and image shape.</summary>
    public DataShape TestShape() => Kind switch
    {
        DataKind.Idx => TrainingData.Inspect(idx!.TestImages, idx.TestLabels),
        DataKind.Cifar => CifarShape([Path.Combine(DirectoryPath, Cifar10.TestFile)]),
        _ => new DataShape(DirectoryPath, pictures!.TestCount, PictureShape),
    };

    /// <summary>The names, sizes and CRC-64s of every file of the data (reads them).</summary>
    public DatasetFingerprint Fingerprint() => Kind switch
    {
        DataKind.Idx => idx!.Fingerprint(),
        DataKind.Cifar => DatasetFingerprint.OfFiles([.. Cifar10.TrainFiles(DirectoryPath), Path.Combine(DirectoryPath, Cifar10.TestFile)], DirectoryPath),
        _ => DatasetFingerprint.OfFiles(pictures!.Files, DirectoryPath),
    };

    /// <summary>Reads the training set.</summary>
    public Dataset LoadTrain() => Kind switch
    {
        DataKind.Idx => idx!.LoadTrain(),
        DataKind.Cifar => Cifar10.LoadTrain(DirectoryPath),
        _ => ImageFolder.Decode(pictures!.TrainClasses, Pictures!.Size, Pictures.ChannelCount),
    };

    /// <summary>Reads the test set.</summary>
    public Dataset LoadTest() => Kind switch
    {
        DataKind.Idx => idx!.LoadTest(),
        DataKind.Cifar => Cifar10.LoadTest(DirectoryPath),
        _ => ImageFolder.Decode(pictures!.TestClasses, Pictures!.Size, Pictures.ChannelCount),
    };

    /// <summary>The class names, in label order.</summary>
    public string[] ClassNames(int classes) => Kind switch
    {
        DataKind.Idx => TrainingData.ClassNames(idx!, classes),
        DataKind.Cifar => Cifar10.ClassNames(DirectoryPath),
        _ => pictures!.ClassNames,
    };

    private Shape PictureShape => new(Pictures!.ChannelCount, Pictures.Size, Pictures.Size);

    private static DataShape CifarShape(string[] files)
    {
        if (files.Length == 0)
        {
            throw new FileNotFoundException("the CIFAR-10 folder has no data_batch_1.bin; it must hold data_batch_1.bin … data_batch_5.bin (any leading run of them) and test_batch.bin");
        }
        return new DataShape(files[0], files.Sum(Cifar10.RecordCount), new Shape(3, 32, 32));
    }

    private static void RequireNoPictureOptions(PictureOptions options, bool strict, string what)
    {
        if (strict && options.Any)
        {
            throw new UserErrorException($"--image-size, --channels and --val-fraction apply to folders of pictures, not to {what}");
        }
    }
}
