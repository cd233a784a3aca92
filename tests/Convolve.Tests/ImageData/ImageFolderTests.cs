using Convolve.Imaging;

namespace Convolve.Tests.ImageData;

/// <summary><see cref="ImageFolder"/>: classes, labels, resizing, gray or RGB, the held-out split and bad files.</summary>
public sealed class ImageFolderTests : IDisposable
{
    private readonly PictureFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_folder_of_class_folders_is_split_per_class_and_resized()
    {
        string root = folder.Write("pictures", perClass: 10);
        ImageFolderSets sets = ImageFolder.Load(root, imageSize: 8, channels: 3, valFraction: 0.2);
        Assert.Equal(PictureFolder.Names, sets.ClassNames);
        Assert.Equal(0.2, sets.HeldOutFraction);
        // round(0.2 · 10) = 2 of each class held out.
        Assert.Equal([8, 8, 8], Enumerable.Range(0, 3).Select(c => sets.Train.Labels.Count(l => l == c)));
        Assert.Equal([2, 2, 2], Enumerable.Range(0, 3).Select(c => sets.Test.Labels.Count(l => l == c)));
        Assert.Equal(new Convolve.Tensors.Shape(3, 8, 8), sets.Train.ItemShape);
        AssertSolid(sets.Train, PictureFolder.Colours.Select(c => new[] { c.R / 255f, c.G / 255f, c.B / 255f }).ToArray());
        ImageFolderSets again = ImageFolder.Load(root, 8, 3, 0.2);
        Assert.Equal(sets.Test.Images.Data, again.Test.Images.Data);
    }

    [Fact]
    public void Train_and_test_folders_are_used_as_they_are_and_gray_is_BT601()
    {
        folder.Write("set/train", perClass: 4, extensions: [".png"]);
        string root = folder.Write("set/test", perClass: 2, extensions: [".bmp"]).Replace("/test", "", StringComparison.Ordinal);
        ImageFolderSets sets = ImageFolder.Load(root, imageSize: 5, channels: 1, valFraction: 0.5);
        Assert.Null(sets.HeldOutFraction);
        Assert.Equal(12, sets.Train.Count);
        Assert.Equal(6, sets.Test.Count);
        Assert.Equal(new Convolve.Tensors.Shape(1, 5, 5), sets.Test.ItemShape);
        AssertSolid(sets.Test, PictureFolder.Colours.Select(c => new[] { 0.299f * c.R / 255f + 0.587f * c.G / 255f + 0.114f * c.B / 255f }).ToArray());
    }

    [Fact]
    public void An_unreadable_picture_and_an_empty_class_name_their_file_and_folder()
    {
        string root = folder.Write("bad", perClass: 3);
        string broken = Path.Combine(root, "leaf", "001.png");
        File.WriteAllBytes(broken, [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 1, 2, 3]);
        var unreadable = Assert.Throws<ImageFileException>(() => ImageFolder.Load(root, 8, 3, 0.2));
        Assert.Equal(broken, unreadable.FilePath);
        File.Delete(broken);
        Directory.CreateDirectory(Path.Combine(root, "empty"));
        File.WriteAllText(Path.Combine(root, "empty", "notes.txt"), "not a picture");
        var empty = Assert.Throws<IOException>(() => ImageFolder.Load(root, 8, 3, 0.2));
        Assert.StartsWith(Path.Combine(root, "empty") + ": the class folder holds no picture", empty.Message, StringComparison.Ordinal);
    }

    private static void AssertSolid(Convolve.Data.Dataset set, float[][] expected)
    {
        int size = set.ItemShape.Size, plane = set.ItemShape.SizeFrom(1);
        for (int i = 0; i < set.Count; i++)
        {
            for (int c = 0; c < set.ItemShape[0]; c++)
            {
                float[] values = set.Images.Data.AsSpan(i * size + c * plane, plane).ToArray();
                // JPEG pictures are lossy; PNG and BMP keep the colour exactly.
                Assert.All(values, v => Assert.Equal(expected[set.Labels[i]][c], v, 0.03f));
            }
        }
    }
}
