using Convolve.Tensors;

namespace Convolve.Data;

/// <summary>
/// CIFAR-10's binary version (Krizhevsky 2009): <c>data_batch_1.bin</c> … <c>data_batch_5.bin</c>
/// for training and <c>test_batch.bin</c> for testing, each a run of 3,073-byte records — one label
/// byte (0–9), then the 32×32 red plane, the green plane and the blue plane, row by row — and
/// optionally <c>batches.meta.txt</c> with the ten class names, one per line. Images load as
/// <c>Shape [N, 3, 32, 32]</c> scaled to [0, 1] (byte / 255, as torchvision's ToTensor).
/// </summary>
public static class Cifar10
{
    /// <summary>Bytes of one record: a label and 3·32·32 pixels.</summary>
    public const int RecordSize = 1 + ImageBytes;

    private const int Side = 32, ImageBytes = 3 * Side * Side;

    /// <summary>The test batch's file name.</summary>
    public const string TestFile = "test_batch.bin";

    /// <summary>The class names of CIFAR-10, in label order (as <c>batches.meta.txt</c> gives them).</summary>
    public static IReadOnlyList<string> DefaultClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Whether <paramref name="directory"/> holds CIFAR-10 binary batches (a test batch or a first training batch).</summary>
    public static bool IsCifarFolder(string directory) =>
        File.Exists(Path.Combine(directory, TestFile)) || File.Exists(Path.Combine(directory, "data_batch_1.bin"));

    /// <summary>The training batches present, in order (<c>data_batch_1.bin</c> …).</summary>
    public static string[] TrainFiles(string directory) =>
        Enumerable.Range(1, 5).Select(i => Path.Combine(directory, $"data_batch_{i}.bin")).Where(File.Exists).ToArray();

    /// <summary>Loads the training batches present in <paramref name="directory"/> as one set.</summary>
    /// <exception cref="FileNotFoundException">There is no <c>data_batch_1.bin</c>.</exception>
    /// <exception cref="IdxFormatException">A file is not a run of whole records, or holds a label outside 0–9.</exception>
    public static Dataset LoadTrain(string directory)
    {
        string[] files = TrainFiles(directory);
        return files.Length > 0 && files[0].EndsWith("data_batch_1.bin", StringComparison.Ordinal)
            ? Load(files)
            : throw new FileNotFoundException($"the CIFAR-10 folder {directory} has no data_batch_1.bin; it must hold data_batch_1.bin … data_batch_5.bin (any leading run of them) and test_batch.bin", Path.Combine(directory, "data_batch_1.bin"));
    }

    /// <summary>Loads <c>test_batch.bin</c>.</summary>
    public static Dataset LoadTest(string directory)
    {
        string path = Path.Combine(directory, TestFile);
        return File.Exists(path)
            ? Load([path])
            : throw new FileNotFoundException($"the CIFAR-10 folder {directory} has no {TestFile}", path);
    }

    /// <summary>The class names from <c>batches.meta.txt</c> when present and ten lines long, else <see cref="DefaultClassNames"/>.</summary>
    public static string[] ClassNames(string directory)
    {
        string path = Path.Combine(directory, "batches.meta.txt");
        string[] names = File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Trim().Length > 0).Select(l => l.Trim()).ToArray() : [];
        return names.Length == 10 ? names : [.. DefaultClassNames];
    }

    /// <summary>The number of records in a batch file, from its size alone.</summary>
    /// <exception cref="IdxFormatException">The file's length is not a positive multiple of <see cref="RecordSize"/>.</exception>
    public static int RecordCount(string path)
    {
        long length = new FileInfo(path).Length;
        if (length == 0 || length % RecordSize != 0)
        {
            throw WrongSize(path, length);
        }
        return checked((int)(length / RecordSize));
    }

    /// <summary>Loads and concatenates batch files; every file is checked before any pixel is converted.</summary>
    /// <exception cref="IdxFormatException">A file's length is not a positive multiple of <see cref="RecordSize"/>, or a label is outside 0–9.</exception>
    public static Dataset Load(IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var contents = files.Select(path => (Path: path, Bytes: File.ReadAllBytes(path))).ToList();
        foreach (var (path, bytes) in contents)
        {
            Check(path, bytes);
        }
        int count = contents.Sum(c => c.Bytes.Length / RecordSize);
        var images = new Tensor(new Shape(count, 3, Side, Side));
        var labels = new int[count];
        int item = 0;
        foreach (var (_, bytes) in contents)
        {
            for (int record = 0; record < bytes.Length / RecordSize; record++, item++)
            {
                labels[item] = bytes[record * RecordSize];
                ReadOnlySpan<byte> pixels = bytes.AsSpan(record * RecordSize + 1, ImageBytes);
                Span<float> target = images.Span.Slice(item * ImageBytes, ImageBytes);
                for (int i = 0; i < ImageBytes; i++)
                {
                    target[i] = pixels[i] / 255f;
                }
            }
        }
        return new Dataset(images, labels, 10);
    }

    private static IdxFormatException WrongSize(string path, long length) => new(path, length / RecordSize * RecordSize,
        $"a CIFAR-10 batch is a run of {RecordSize:N0}-byte records (a label byte and 3×32×32 pixels) but the file has {length:N0} bytes: {length / RecordSize:N0} whole records and {length % RecordSize:N0} bytes over");

    private static void Check(string path, byte[] bytes)
    {
        if (bytes.Length == 0 || bytes.Length % RecordSize != 0)
        {
            throw WrongSize(path, bytes.Length);
        }
        for (int record = 0; record < bytes.Length / RecordSize; record++)
        {
            if (bytes[record * RecordSize] > 9)
            {
                throw new IdxFormatException(path, (long)record * RecordSize, $"record {record} has label {bytes[record * RecordSize]}, outside CIFAR-10's classes 0–9 (CIFAR-100's two-label records are not read)");
            }
        }
    }
}
