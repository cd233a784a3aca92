using Convolve.Tensors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.PixelFormats;
using Convolve.Serialization;

namespace Convolve.Imaging;

/// <summary>
/// Picture files as tensors. Reading gives Shape [3, H, W] with values in [0, 1] (byte / 255),
/// transparent pixels composited over white; writing takes Shape [1, H, W] (gray) or [3, H, W]
/// (RGB) with values in [0, 1] (clamped, then rounded to bytes) and writes atomically.
/// </summary>
public static class ImageFile
{
    /// <summary>Reads a PNG, JPEG, GIF, BMP, TGA, TIFF, PBM or WebP file; Shape [3, H, W] in [0, 1].</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ImageFileException">The file is not a readable picture (truncated, bad CRC, unknown format).</exception>
    public static Tensor ReadRgb(string path)
    {
        using Image<Rgba32> image = PictureDecoder.Load(path);
        return ToTensor(image);
    }

    /// <summary>
    /// Reads a picture and resizes it to <paramref name="height"/>×<paramref name="width"/> (ImageSharp's
    /// bicubic resampler, which widens its kernel when shrinking so every source pixel contributes;
    /// the aspect ratio is not kept); Shape [3, height, width] in [0, 1].
    /// </summary>
    public static Tensor ReadRgb(string path, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        using Image<Rgba32> image = PictureDecoder.Load(path);
        // Compositing first keeps transparent pixels' colour out of their neighbours.
        using Image<Rgba32> opaque = image.Clone(context => context.BackgroundColor(Color.White));
        opaque.Mutate(context => context.Resize(width, height, KnownResamplers.Bicubic));
        return ToTensor(opaque);
    }

    /// <summary>Encodes Shape [1, H, W] or [3, H, W] with values in [0, 1] as PNG bytes.</summary>
    public static byte[] EncodePng(Tensor image)
    {
        using var stream = new MemoryStream();
        using (Image picture = PixelConversion.ToImage(image))
        {
            picture.SaveAsPng(stream);
        }
        return stream.ToArray();
    }

    /// <summary>Writes <paramref name="image"/> as a PNG file, atomically (a temporary file renamed over the target).</summary>
    public static void WritePng(string path, Tensor image) => AtomicFile.WriteAllBytes(path, EncodePng(image));

    private static Tensor ToTensor(Image<Rgba32> image)
    {
        var tensor = new Tensor(new Shape(3, image.Height, image.Width));
        PixelConversion.FillRgb(image, tensor);
        return tensor;
    }
}
