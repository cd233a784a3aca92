using Convolve.Tensors;

namespace Convolve.Visualization;

/// <summary>Arranges pictures of Shape [1 or 3, h, w] (values in [0, 1]) into one RGB picture.</summary>
public static class ImageGrid
{
    /// <summary>
    /// Tiles <paramref name="cells"/> row by row into <paramref name="columns"/> columns, each cell
    /// enlarged <paramref name="zoom"/> times (nearest neighbour, so pixels stay square) and placed
    /// in a slot the size of the largest cell, <paramref name="gap"/> pixels apart.
    /// </summary>
    public static Tensor Tile(IReadOnlyList<Tensor> cells, int columns, int zoom = 1, int gap = 2, Rgb? background = null)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count == 0)
        {
            throw new ArgumentException("a grid needs at least one picture", nameof(cells));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(zoom);
        columns = Math.Min(columns, cells.Count);
        int rows = (cells.Count + columns - 1) / columns;
        int slotHeight = cells.Max(c => c.Shape[1]) * zoom, slotWidth = cells.Max(c => c.Shape[2]) * zoom;
        var canvas = new Canvas(columns * slotWidth + (columns - 1) * gap, rows * slotHeight + (rows - 1) * gap, background ?? Rgb.White);
        for (int i = 0; i < cells.Count; i++)
        {
            canvas.Paste(Zoom(cells[i], zoom), i % columns * (slotWidth + gap), i / columns * (slotHeight + gap));
        }
        return canvas.Image;
    }

    /// <summary>Enlarges a picture <paramref name="factor"/> times by repeating pixels; Shape [C, h, w] → [C, h·f, w·f].</summary>
    public static Tensor Zoom(Tensor picture, int factor)
    {
        ArgumentNullException.ThrowIfNull(picture);
        if (factor == 1)
        {
            return picture;
        }
        int channels = picture.Shape[0], height = picture.Shape[1], width = picture.Shape[2];
        var result = new Tensor(new Shape(channels, height * factor, width * factor));
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < height * factor; y++)
            {
                for (int x = 0; x < width * factor; x++)
                {
                    result.Data[(c * height * factor + y) * width * factor + x] = picture.Data[(c * height + y / factor) * width + x / factor];
                }
            }
        }
        return result;
    }

    /// <summary>The pictures side by side, top-aligned, <paramref name="gap"/> pixels apart.</summary>
    public static Tensor Beside(IReadOnlyList<Tensor> pictures, int gap = 8, Rgb? background = null)
    {
        ArgumentNullException.ThrowIfNull(pictures);
        var canvas = new Canvas(pictures.Sum(p => p.Shape[2]) + gap * (pictures.Count - 1), pictures.Max(p => p.Shape[1]), background ?? Rgb.White);
        int x = 0;
        foreach (Tensor picture in pictures)
        {
            canvas.Paste(picture, x, 0);
            x += picture.Shape[2] + gap;
        }
        return canvas.Image;
    }

    /// <summary>The pictures one below the other, left-aligned, <paramref name="gap"/> pixels apart.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> pictures, int gap = 8, Rgb? background = null)
    {
        ArgumentNullException.ThrowIfNull(pictures);
        var canvas = new Canvas(pictures.Max(p => p.Shape[2]), pictures.Sum(p => p.Shape[1]) + gap * (pictures.Count - 1), background ?? Rgb.White);
        int y = 0;
        foreach (Tensor picture in pictures)
        {
            canvas.Paste(picture, 0, y);
            y += picture.Shape[1] + gap;
        }
        return canvas.Image;
    }

    /// <summary>A picture with a line of text above it.</summary>
    public static Tensor Captioned(string caption, Tensor picture, int scale = 1, Rgb? background = null)
    {
        ArgumentNullException.ThrowIfNull(picture);
        int textHeight = Canvas.TextHeight(scale), pad = 3 * scale;
        var canvas = new Canvas(Math.Max(picture.Shape[2], Canvas.TextWidth(caption, scale)), picture.Shape[1] + textHeight + pad, background ?? Rgb.White);
        canvas.DrawText(caption, 0, 0, Rgb.Black, scale);
        canvas.Paste(picture, 0, textHeight + pad);
        return canvas.Image;
    }
}
