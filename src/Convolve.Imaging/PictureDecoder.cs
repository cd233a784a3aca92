using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Convolve.Imaging;

/// <summary>
/// Reads a picture file into an ImageSharp image: PNG and JPEG structure checked first
/// (<see cref="PictureStructure"/>), the size checked before any pixel is decoded, and every
/// ImageSharp exception turned into an <see cref="ImageFileException"/> naming the file.
/// </summary>
internal static class PictureDecoder
{
    /// <summary>The largest picture decoded, in pixels (a crafted header can claim any size).</summary>
    public const long MaxPixels = 50_000_000;

    /// <summary>Decodes <paramref name="path"/> as RGBA.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ImageFileException">The file is not a readable picture.</exception>
    public static Image<Rgba32> Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"file not found: {path}", path);
        }
        byte[] bytes = File.ReadAllBytes(path);
        if (PictureStructure.IsPng(bytes))
        {
            PictureStructure.ValidatePng(bytes, path);
        }
        else if (PictureStructure.IsJpeg(bytes))
        {
            PictureStructure.ValidateJpeg(bytes, path);
        }
        try
        {
            IImageInfo info = Image.Identify(bytes)
                ?? throw new ImageFileException(path, $"not a picture: its {bytes.Length} bytes are neither PNG, JPEG, GIF, BMP, TGA, TIFF, PBM nor WebP");
            if ((long)info.Width * info.Height > MaxPixels)
            {
                throw new ImageFileException(path, $"the picture is {info.Width}×{info.Height} pixels, more than the {MaxPixels:N0} Convolve decodes");
            }
            return Image.Load<Rgba32>(bytes);
        }
        catch (UnknownImageFormatException ex)
        {
            throw new ImageFileException(path, $"not a picture: its {bytes.Length} bytes are neither PNG, JPEG, GIF, BMP, TGA, TIFF, PBM nor WebP", ex);
        }
        catch (Exception ex) when (ex is ImageFormatException or NotSupportedException or InvalidOperationException)
        {
            throw new ImageFileException(path, $"cannot decode the picture: {ex.Message.ReplaceLineEndings(" ")}", ex);
        }
    }
}
