using Convolve.Imaging;
using Convolve.Tensors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;

namespace Convolve.Tests.Imaging;

/// <summary>PNG and GIF writing read back, and every way a picture file can be broken.</summary>
public sealed class ImageFileTests : IDisposable
{
    private readonly PictureFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void An_rgb_png_reads_back_as_the_tensor_rounded_to_bytes()
    {
        Tensor picture = PictureFiles.Gradient();
        Tensor read = ImageFile.ReadRgb(files.Write("rgb.png", picture));
        Assert.Equal(picture.Shape, read.Shape);
        for (int i = 0; i < picture.Size; i++)
        {
            Assert.Equal(MathF.Round(picture.Data[i] * 255f) / 255f, read.Data[i], 1e-6f);
        }
        Assert.Empty(Directory.GetFiles(files.Folder, "*.tmp"));
    }

    [Fact]
    public void A_gray_png_reads_back_with_equal_channels_and_values_outside_zero_one_are_clamped()
    {
        var gray = Tensor.FromArray([-0.5f, 0f, 0.25f, 0.5f, 1f, 7f], 1, 2, 3);
        Tensor read = ImageFile.ReadRgb(files.Write("gray.png", gray));
        float[] expected = [0f, 0f, 64 / 255f, 128 / 255f, 1f, 1f];
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(expected, read.Data[(c * 6)..((c + 1) * 6)]);
        }
        var ex = Assert.Throws<ArgumentException>(() => ImageFile.EncodePng(Tensor.Zeros(2, 4, 4)));
        Assert.Contains("[1, H, W] (gray) or [3, H, W] (RGB)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transparent_pixels_are_composited_over_white()
    {
        using var image = new Image<Rgba32>(2, 1);
        image[0, 0] = new Rgba32(0, 0, 0, 0);
        image[1, 0] = new Rgba32(255, 0, 0, 255);
        string path = files.PathOf("alpha.png");
        image.SaveAsPng(path);
        Tensor read = ImageFile.ReadRgb(path);
        Assert.Equal([1f, 1f, 1f, 0f, 1f, 0f], read.Data);
    }

    public static TheoryData<string, string> BrokenFiles => new()
    {
        { "not-a-picture", "not a picture: its 27 bytes are neither PNG, JPEG" },
        { "empty", "not a picture: its 0 bytes" },
        { "truncated-in-data", "truncated PNG: the IDAT chunk at byte" },
        { "truncated-before-end", "truncated PNG: at byte" },
        { "bad-crc", "corrupt PNG: the CRC of the IDAT chunk at byte" },
        { "signature-only", "truncated PNG: at byte 8 a chunk" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void A_broken_png_is_one_clear_error_naming_the_file(string kind, string expected)
    {
        byte[] good = ImageFile.EncodePng(PictureFiles.Gradient());
        int data = IndexOf(good, "IDAT");
        byte[] bytes = kind switch
        {
            "not-a-picture" => "this is not a picture at all"u8.ToArray()[..27],
            "empty" => [],
            "truncated-in-data" => good[..(data + 20)],
            "truncated-before-end" => good[..^12],
            "bad-crc" => Flip(good, data + 10),
            _ => good[..8],
        };
        string path = files.WriteBytes($"{kind}.png", bytes);
        var ex = Assert.Throws<ImageFileException>(() => ImageFile.ReadRgb(path));
        Assert.StartsWith(path + ": ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.IsAssignableFrom<IOException>(ex);
    }

    [Fact]
    public void A_truncated_jpeg_is_refused_and_a_whole_one_is_read()
    {
        using var image = new Image<Rgb24>(16, 16, new Rgb24(200, 100, 50));
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        byte[] jpeg = stream.ToArray();
        Tensor read = ImageFile.ReadRgb(files.WriteBytes("whole.jpg", jpeg));
        Assert.Equal(200 / 255f, read.Data[0], 0.02f);
        string cut = files.WriteBytes("cut.jpg", jpeg[..^4]);
        var ex = Assert.Throws<ImageFileException>(() => ImageFile.ReadRgb(cut));
        Assert.Contains("truncated JPEG: the scan that starts at byte", ex.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => ImageFile.ReadRgb(files.PathOf("missing.png")));
    }

    [Fact]
    public void An_animated_gif_has_every_frame_with_its_delay_and_loops()
    {
        var frames = new[] { Convolve.Visualization.Rgb.Black, new Convolve.Visualization.Rgb(1f, 0f, 0f), Convolve.Visualization.Rgb.White }
            .Select(colour => { var canvas = new Convolve.Visualization.Canvas(6, 4, colour); return canvas.Image; }).ToList();
        string path = files.PathOf("anim.gif");
        AnimatedGif.Write(path, frames, delayCentiseconds: 30);
        using Image<Rgb24> read = Image.Load<Rgb24>(path);
        Assert.Equal(3, read.Frames.Count);
        Assert.Equal(0, read.Metadata.GetGifMetadata().RepeatCount);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(30, read.Frames[i].Metadata.GetGifMetadata().FrameDelay));
        Assert.Equal(new Rgb24(255, 0, 0), read.Frames[1][3, 2]);
        Assert.Equal(new Rgb24(255, 255, 255), read.Frames[2][0, 0]);
        var ex = Assert.Throws<ArgumentException>(() => AnimatedGif.Encode([frames[0], Tensor.Zeros(3, 5, 5)]));
        Assert.Contains("frame 1 has shape [3, 5, 5] but frame 0 has [3, 4, 6]", ex.Message, StringComparison.Ordinal);
    }

    private static int IndexOf(byte[] bytes, string type) => bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(type)) - 4;

    private static byte[] Flip(byte[] bytes, int at)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[at] ^= 0x5A;
        return copy;
    }
}
