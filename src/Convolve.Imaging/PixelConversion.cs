using Convolve.Tensors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Convolve.Imaging;

/// <summary>Between ImageSharp pixels (bytes) and tensors with values in [0, 1].</summary>
internal static class PixelConversion
{
    /// <summary>Writes RGB in [0, 1] into Shape [3, H, W]; alpha is composited over white: c·a + 1·(1 − a).</summary>
    public static void FillRgb(Image<Rgba32> image, Tensor target)
    {
        int height = image.Height, width = image.Width, plane = height * width;
        Span<float> data = target.Span;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                Rgba32 p = image[x, y];
                float alpha = p.A / 255f;
                int at = y * width + x;
                data[at] = p.R / 255f * alpha + (1f - alpha);
                data[plane + at] = p.G / 255f * alpha + (1f - alpha);
                data[2 * plane + at] = p.B / 255f * alpha + (1f - alpha);
            }
        }
    }

    /// <summary>An 8-bit gray (one channel) or RGB (three channels) image of Shape [C, H, W] in [0, 1].</summary>
    /// <exception cref="ArgumentException">The tensor is not [1, H, W] or [3, H, W].</exception>
    public static Image ToImage(Tensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Rank != 3 || (image.Shape[0] != 1 && image.Shape[0] != 3) || image.Shape[1] == 0 || image.Shape[2] == 0)
        {
            throw new ArgumentException($"a picture must be a tensor [1, H, W] (gray) or [3, H, W] (RGB) with H, W ≥ 1 but got {image.Shape}", nameof(image));
        }
        int height = image.Shape[1], width = image.Shape[2], plane = height * width;
        ReadOnlySpan<float> data = image.Span;
        if (image.Shape[0] == 1)
        {
            var gray = new Image<L8>(width, height);
            for (int i = 0; i < plane; i++)
            {
                gray[i % width, i / width] = new L8(ToByte(data[i]));
            }
            return gray;
        }
        var rgb = new Image<Rgb24>(width, height);
        for (int i = 0; i < plane; i++)
        {
            rgb[i % width, i / width] = new Rgb24(ToByte(data[i]), ToByte(data[plane + i]), ToByte(data[2 * plane + i]));
        }
        return rgb;
    }

    /// <summary>Clamps to [0, 1] and rounds to the nearest of 256 levels; NaN becomes 0.</summary>
    public static byte ToByte(float value) => float.IsNaN(value) ? (byte)0 : (byte)MathF.Round(Math.Clamp(value, 0f, 1f) * 255f);
}
