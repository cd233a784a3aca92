using Convolve.Data;
using Convolve.Imaging;

namespace Convolve.Cli;

/// <summary>The training and test sets a command works on, and what describes them.</summary>
/// <param name="Train">The training set, not normalised (null when only the test set was asked for and it could be read alone).</param>
/// <param name="Test">The test set (a folder's held-out share when it has no test folder), not normalised.</param>
/// <param name="Description">Where the data come from, for the log and the report.</param>
/// <param name="ClassNames">The class names, in label order.</param>
/// <param name="CropPadding">The padding of the random crop of --augment: 2 for IDX sets (as before), an eighth of the side for pictures and CIFAR-10.</param>
/// <param name="Pictures">The picture options used, for a folder of pictures; else null.</param>
/// <param name="HeldOut">Whether the test set is a held-out share of a folder of pictures.</param>
internal sealed record LoadedData(Dataset? Train, Dataset Test, string Description, string[] ClassNames, int CropPadding, PictureOptions? Pictures, bool HeldOut);

/// <summary>
/// Finds and loads the data for <c>--data DIR</c>: CIFAR-10 binary batches, an IDX file set, or a
/// folder with one subfolder of pictures per class (torchvision's ImageFolder layout), in that
/// order; without --data, the IDX search of <see cref="DatasetLocator"/>.
/// </summary>
internal static class DataSources
{
    /// <summary>Loads the sets for training (both) and says where they come from; picture options given for other data are refused.</summary>
    public static LoadedData Load(string? directory, PictureOptions pictures, TextWriter log) => Logged(Find(directory, pictures, strict: true, train: true), log);

    /// <summary>
    /// Loads the sets a saved model is run on (the training set only when <paramref name="train"/>);
    /// a folder of pictures is read as the model's input shape and recorded split say.
    /// </summary>
    public static LoadedData LoadFor(string? directory, PictureOptions recorded, bool train, TextWriter log) => Logged(Find(directory, recorded, strict: false, train), log);

    private static LoadedData Logged(LoadedData data, TextWriter log)
    {
        log.WriteLine($"data: {data.Description}");
        return data;
    }

    private static LoadedData Find(string? directory, PictureOptions pictures, bool strict, bool train)
    {
        if (!string.IsNullOrEmpty(directory) && Directory.Exists(directory) && Cifar10.IsCifarFolder(directory))
        {
            RequireNoPictureOptions(pictures, strict, $"CIFAR-10 batches in {directory}");
            return new LoadedData(train ? Cifar10.LoadTrain(directory) : null, Cifar10.LoadTest(directory), $"CIFAR-10 from {Path.GetFullPath(directory)} (given with --data)",
                Cifar10.ClassNames(directory), 4, null, false);
        }
        if (!string.IsNullOrEmpty(directory) && DatasetLocator.TryFind(directory, DatasetSource.Explicit) is null && ImageFolder.IsImageFolder(directory))
        {
            ImageFolderSets sets = ImageFolder.Load(directory, pictures.Size, pictures.ChannelCount, pictures.Fraction);
            string split = sets.HeldOutFraction is double f ? $", {f:P0} of each class held out for testing" : "";
            return new LoadedData(sets.Train, sets.Test,
                $"{sets.ClassNames.Length} classes of pictures from {Path.GetFullPath(directory)} as {pictures.ChannelCount}×{pictures.Size}×{pictures.Size}{split}",
                sets.ClassNames, Math.Max(1, pictures.Size / 8), pictures, sets.HeldOutFraction is not null);
        }
        DatasetFiles files = DatasetLocator.Locate(directory);
        RequireNoPictureOptions(pictures, strict, $"the IDX files in {files.DirectoryPath}");
        Dataset test = files.LoadTest();
        return new LoadedData(train ? files.LoadTrain() : null, test, files.Description, TrainingData.ClassNames(files, test.Classes), 2, null, false);
    }

    private static void RequireNoPictureOptions(PictureOptions pictures, bool strict, string what)
    {
        if (strict && pictures.Any)
        {
            throw new UserErrorException($"--image-size, --channels and --val-fraction apply to folders of pictures, not to {what}");
        }
    }
}
