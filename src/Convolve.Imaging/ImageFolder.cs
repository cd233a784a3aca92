using Convolve.Data;
using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Imaging;

/// <summary>
/// A data set of picture files in torchvision's ImageFolder layout: one subfolder per class, named
/// after it, holding PNG, JPEG or BMP files (other files are ignored); classes are the subfolders in
/// ordinal name order, labelled 0, 1, …. Either the folder has <c>train/</c> and <c>test/</c> (or
/// <c>val/</c>) subfolders in that layout, or it is one such folder and a seeded, per-class share of
/// its pictures (<c>valFraction</c>) is held out for testing. Each picture is decoded with
/// ImageSharp, composited over white, resized to <c>imageSize × imageSize</c> (bicubic; the aspect
/// ratio is not kept), made gray (BT.601) for one channel, and scaled to [0, 1]: Shape [N, C, S, S].
/// </summary>
public static class ImageFolder
{
    /// <summary>The file extensions read as pictures (case-insensitive).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".bmp"];

    private static readonly string[] TestFolders = ["test", "val"];

    /// <summary>The seed of the held-out split: fixed, so that training and evaluation hold out the same pictures.</summary>
    public const ulong SplitSeed = 20_240_917;

    /// <summary>Whether <paramref name="directory"/> looks like an image folder: it has subfolders and no IDX or CIFAR files.</summary>
    public static bool IsImageFolder(string directory) => Directory.Exists(directory) && Directory.EnumerateDirectories(directory).Any();

    /// <summary>
    /// Finds the pictures and splits them, reading no picture: the classes, which file goes to
    /// which set. Commands check sizes and memory on the plan before anything is decoded.
    /// </summary>
    /// <param name="directory">The folder (see the class description).</param>
    /// <param name="valFraction">The share of each class held out when there is no test folder, in (0, 1).</param>
    /// <exception cref="IOException">A class folder holds no picture, or the layout is wrong (names the folder).</exception>
    public static ImageFolderPlan Plan(string directory, double valFraction)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!(valFraction > 0 && valFraction < 1))
        {
            throw new ArgumentException($"the held-out fraction must be between 0 and 1 but got {valFraction}", nameof(valFraction));
        }
        string? test = TestFolders.Select(n => Path.Combine(directory, n)).FirstOrDefault(Directory.Exists);
        string train = Path.Combine(directory, "train");
        if (test is not null && Directory.Exists(train))
        {
            var trainClasses = Classes(train);
            var testClasses = Classes(test);
            if (!trainClasses.Select(c => c.Name).SequenceEqual(testClasses.Select(c => c.Name), StringComparer.Ordinal))
            {
                throw new IOException($"{test} has the classes {string.Join(", ", testClasses.Select(c => c.Name))} but {train} has {string.Join(", ", trainClasses.Select(c => c.Name))}; both must have the same class folders");
            }
            return new ImageFolderPlan(Path.GetFullPath(directory), trainClasses, testClasses, null);
        }
        var classes = Classes(directory);
        var (kept, heldOut) = Split(classes, valFraction);
        return new ImageFolderPlan(Path.GetFullPath(directory), kept, heldOut, valFraction);
    }

    /// <summary>Plans and decodes both sets (see <see cref="Plan"/> and <see cref="Decode"/>).</summary>
    /// <exception cref="ImageFileException">A picture cannot be decoded (names the file).</exception>
    /// <exception cref="IOException">A class folder holds no picture, or the layout is wrong (names the folder).</exception>
    public static ImageFolderSets Load(string directory, int imageSize, int channels, double valFraction)
    {
        ImageFolderPlan plan = Plan(directory, valFraction);
        return new ImageFolderSets(Decode(plan.TrainClasses, imageSize, channels), Decode(plan.TestClasses, imageSize, channels), plan.ClassNames, plan.HeldOutFraction);
    }

    /// <summary>The class folders in ordinal order, each with its pictures in ordinal order; an empty class is an error naming its folder.</summary>
    private static List<ImageClass> Classes(string directory)
    {
        var folders = Directory.GetDirectories(directory).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        if (folders.Count < 2)
        {
            throw new IOException($"{directory} has {folders.Count} class folder(s); a folder of pictures needs one subfolder per class, at least two ({string.Join(", ", Extensions)} files inside)");
        }
        var classes = new List<ImageClass>();
        foreach (string folder in folders)
        {
            string[] files = Directory.GetFiles(folder)
                .Where(f => !Path.GetFileName(f).StartsWith('.') && Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Order(StringComparer.Ordinal).ToArray();
            classes.Add(files.Length > 0
                ? new ImageClass(Path.GetFileName(folder), classes.Count, files)
                : throw new IOException($"{folder}: the class folder holds no picture ({string.Join(", ", Extensions)}); remove it or add pictures"));
        }
        return classes;
    }

    /// <summary>Per class, a seeded shuffle of its pictures; the first round(fraction·count) are held out, at least one is kept.</summary>
    private static (List<ImageClass> Kept, List<ImageClass> HeldOut) Split(List<ImageClass> classes, double fraction)
    {
        var kept = new List<ImageClass>();
        var heldOut = new List<ImageClass>();
        foreach (ImageClass c in classes)
        {
            var random = new RandomSource(SplitSeed + (ulong)c.Label);
            string[] order = (string[])c.Files.Clone();
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = random.NextInt(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            int held = Math.Min((int)Math.Round(fraction * order.Length), order.Length - 1);
            kept.Add(c with { Files = [.. order[held..].Order(StringComparer.Ordinal)] });
            heldOut.Add(c with { Files = [.. order[..held].Order(StringComparer.Ordinal)] });
        }
        if (heldOut.All(c => c.Files.Length == 0))
        {
            throw new IOException($"holding out {fraction:P0} of each class leaves no test picture: the classes have {string.Join(", ", classes.Select(c => c.Files.Length))} pictures; raise --val-fraction or add a test folder");
        }
        return (kept, heldOut);
    }

    /// <summary>
    /// Decodes the pictures of one set, in parallel, as Shape [N, channels, imageSize, imageSize];
    /// the first failing file in order is the one reported.
    /// </summary>
    /// <exception cref="ImageFileException">A picture cannot be decoded (names the file).</exception>
    public static Dataset Decode(IReadOnlyList<ImageClass> classes, int imageSize, int channels)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (imageSize <= 0 || channels is not (1 or 3))
        {
            throw new ArgumentException($"image size {imageSize} must be positive and channels {channels} 1 or 3");
        }
        var items = classes.SelectMany(c => c.Files.Select(f => (File: f, c.Label))).ToArray();
        int itemSize = channels * imageSize * imageSize;
        var images = new Tensor(new Shape(items.Length, channels, imageSize, imageSize));
        var errors = new Exception?[items.Length];
        // Through the kernels' one owner of threads, so --threads and CONVOLVE_THREADS hold here too; one
        // picture (decoding, resizing) counts as a whole thread's worth of work.
        Parallelism.For(items.Length, Parallelism.MinWorkPerThread, (first, end) =>
        {
            for (int i = first; i < end; i++)
            {
                try
                {
                    Tensor rgb = ImageFile.ReadRgb(items[i].File, imageSize, imageSize);
                    (channels == 1 ? ModelImage.ToGray(rgb) : rgb).Span.CopyTo(images.Span.Slice(i * itemSize, itemSize));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    errors[i] = ex;
                }
            }
        });
        if (errors.FirstOrDefault(e => e is not null) is { } first)
        {
            throw first is ImageFileException or FileNotFoundException ? first : new IOException(first.Message, first);
        }
        return new Dataset(images, [.. items.Select(i => i.Label)], classes.Count);
    }

}

/// <summary>One class of a folder of pictures: its name, its label and its picture files (ordinal order).</summary>
public sealed record ImageClass(string Name, int Label, string[] Files);

/// <summary>What <see cref="ImageFolder.Plan"/> found: the picture files of each set, by class.</summary>
/// <param name="Directory">The folder, as a full path.</param>
/// <param name="TrainClasses">The training pictures of each class.</param>
/// <param name="TestClasses">The test pictures of each class: the test folder's, or the held-out share.</param>
/// <param name="HeldOutFraction">The share held out of each class when there was no test folder, else null.</param>
public sealed record ImageFolderPlan(string Directory, IReadOnlyList<ImageClass> TrainClasses, IReadOnlyList<ImageClass> TestClasses, double? HeldOutFraction)
{
    /// <summary>The class folder names, in label order.</summary>
    public string[] ClassNames => [.. TrainClasses.Select(c => c.Name)];

    /// <summary>The number of training pictures.</summary>
    public int TrainCount => TrainClasses.Sum(c => c.Files.Length);

    /// <summary>The number of test pictures.</summary>
    public int TestCount => TestClasses.Sum(c => c.Files.Length);

    /// <summary>Every picture file, training ones first, each set in class and name order.</summary>
    public IEnumerable<string> Files => TrainClasses.Concat(TestClasses).SelectMany(c => c.Files);
}

/// <summary>The sets <see cref="ImageFolder.Load"/> made.</summary>
/// <param name="Train">The training pictures.</param>
/// <param name="Test">The test pictures: the test folder's, or the held-out share.</param>
/// <param name="ClassNames">The class folder names, in label order.</param>
/// <param name="HeldOutFraction">The share held out of each class when there was no test folder, else null.</param>
public sealed record ImageFolderSets(Dataset Train, Dataset Test, string[] ClassNames, double? HeldOutFraction);
