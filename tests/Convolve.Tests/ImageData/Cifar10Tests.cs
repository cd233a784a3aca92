using Convolve.Data;
using Convolve.Tests.Serialization;

namespace Convolve.Tests.ImageData;

/// <summary><see cref="Cifar10"/>: records of a label byte and the R, G, B planes; wrong sizes and labels name the file.</summary>
public sealed class Cifar10Tests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>Writes a batch of <paramref name="count"/> records: record r has label r % 10, and pixel p of channel c the byte (r + 3c + p) % 256.</summary>
    public static byte[] Batch(int count, int firstRecord = 0)
    {
        var bytes = new byte[count * Cifar10.RecordSize];
        for (int r = 0; r < count; r++)
        {
            int record = firstRecord + r;
            bytes[r * Cifar10.RecordSize] = (byte)(record % 10);
            for (int c = 0; c < 3; c++)
            {
                for (int p = 0; p < 1024; p++)
                {
                    bytes[r * Cifar10.RecordSize + 1 + c * 1024 + p] = (byte)((record + 3 * c + p) % 256);
                }
            }
        }
        return bytes;
    }

    [Fact]
    public void Batches_load_as_RGB_planes_in_order_with_their_labels()
    {
        File.WriteAllBytes(folder.File("data_batch_1.bin"), Batch(12));
        File.WriteAllBytes(folder.File("data_batch_2.bin"), Batch(8, firstRecord: 12));
        File.WriteAllBytes(folder.File("test_batch.bin"), Batch(5));
        Dataset train = Cifar10.LoadTrain(folder.Path);
        Assert.Equal(new Convolve.Tensors.Shape(20, 3, 32, 32), train.Images.Shape);
        Assert.Equal(Enumerable.Range(0, 20).Select(r => r % 10), train.Labels);
        // Record 13, green plane (c = 1), row 2, column 5: p = 69, byte (13 + 3 + 69) % 256 = 85.
        Assert.Equal(85 / 255f, train.Images.Data[13 * 3072 + 1024 + 2 * 32 + 5]);
        Assert.Equal(5, Cifar10.LoadTest(folder.Path).Count);
        Assert.Equal(Cifar10.DefaultClassNames, Cifar10.ClassNames(folder.Path));
    }

    [Fact]
    public void A_wrong_record_size_or_label_names_the_file_and_offset()
    {
        string path = folder.File("test_batch.bin");
        File.WriteAllBytes(path, [.. Batch(2), 1, 2, 3]);
        var size = Assert.Throws<IdxFormatException>(() => Cifar10.LoadTest(folder.Path));
        Assert.Equal($"{path}: at byte 6146: a CIFAR-10 batch is a run of 3,073-byte records (a label byte and 3×32×32 pixels) but the file has 6,149 bytes: 2 whole records and 3 bytes over", size.Message);
        byte[] bytes = Batch(3);
        bytes[2 * Cifar10.RecordSize] = 10;
        File.WriteAllBytes(path, bytes);
        var label = Assert.Throws<IdxFormatException>(() => Cifar10.LoadTest(folder.Path));
        Assert.StartsWith($"{path}: at byte 6146: record 2 has label 10", label.Message, StringComparison.Ordinal);
    }
}
