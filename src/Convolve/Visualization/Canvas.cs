using Convolve.Tensors;

namespace Convolve.Visualization;

/// <summary>
/// An RGB picture as a tensor, Shape [3, Height, Width] with values in [0, 1], with the few
/// drawing operations the figures need: rectangles, lines, pasted images and 5×7 pixel text.
/// Everything outside the canvas is clipped.
/// </summary>
public sealed class Canvas
{
    /// <summary>A canvas filled with <paramref name="background"/>.</summary>
    public Canvas(int width, int height, Rgb background)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Image = new Tensor(new Shape(3, height, width));
        FillRectangle(0, 0, width, height, background);
    }

    /// <summary>The pixels, Shape [3, Height, Width].</summary>
    public Tensor Image { get; }

    /// <summary>Width in pixels.</summary>
    public int Width => Image.Shape[2];

    /// <summary>Height in pixels.</summary>
    public int Height => Image.Shape[1];

    /// <summary>Sets one pixel (ignored outside the canvas).</summary>
    public void Set(int x, int y, Rgb colour)
    {
        if ((uint)x < (uint)Width && (uint)y < (uint)Height)
        {
            int plane = Width * Height, at = y * Width + x;
            Image.Data[at] = colour.R;
            Image.Data[plane + at] = colour.G;
            Image.Data[2 * plane + at] = colour.B;
        }
    }

    /// <summary>Fills the rectangle with top-left (x, y).</summary>
    public void FillRectangle(int x, int y, int width, int height, Rgb colour)
    {
        for (int row = Math.Max(0, y); row < Math.Min(Height, y + height); row++)
        {
            for (int column = Math.Max(0, x); column < Math.Min(Width, x + width); column++)
            {
                Set(column, row, colour);
            }
        }
    }

    /// <summary>Draws the rectangle's outline, <paramref name="thickness"/> pixels wide, inside its bounds.</summary>
    public void DrawRectangle(int x, int y, int width, int height, Rgb colour, int thickness = 1)
    {
        FillRectangle(x, y, width, thickness, colour);
        FillRectangle(x, y + height - thickness, width, thickness, colour);
        FillRectangle(x, y, thickness, height, colour);
        FillRectangle(x + width - thickness, y, thickness, height, colour);
    }

    /// <summary>A straight line from (x0, y0) to (x1, y1), <paramref name="thickness"/> pixels wide (square pen).</summary>
    public void DrawLine(double x0, double y0, double x1, double y1, Rgb colour, int thickness = 1)
    {
        int steps = (int)Math.Ceiling(Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0))) + 1;
        int half = (thickness - 1) / 2;
        for (int i = 0; i <= steps; i++)
        {
            double t = (double)i / steps;
            int x = (int)Math.Round(x0 + t * (x1 - x0)), y = (int)Math.Round(y0 + t * (y1 - y0));
            FillRectangle(x - half, y - half, thickness, thickness, colour);
        }
    }

    /// <summary>Copies a picture of Shape [1, h, w] (gray) or [3, h, w] with its top-left corner at (x, y).</summary>
    public void Paste(Tensor picture, int x, int y)
    {
        ArgumentNullException.ThrowIfNull(picture);
        int channels = picture.Shape[0], height = picture.Shape[1], width = picture.Shape[2], plane = height * width;
        for (int row = 0; row < height; row++)
        {
            for (int column = 0; column < width; column++)
            {
                int at = row * width + column;
                float r = picture.Data[at];
                Set(x + column, y + row, channels == 1 ? Rgb.Gray(r) : new Rgb(r, picture.Data[plane + at], picture.Data[2 * plane + at]));
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> in the 5×7 pixel font with its top-left at (x, y), each font pixel <paramref name="scale"/> pixels square.</summary>
    public void DrawText(string text, int x, int y, Rgb colour, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (int i = 0; i < text.Length; i++)
        {
            for (int row = 0; row < PixelFont.Height; row++)
            {
                for (int column = 0; column < PixelFont.Width; column++)
                {
                    if (PixelFont.Ink(text[i], row, column))
                    {
                        FillRectangle(x + (i * PixelFont.Advance + column) * scale, y + row * scale, scale, scale, colour);
                    }
                }
            }
        }
    }

    /// <summary>The width of <paramref name="text"/> drawn at <paramref name="scale"/>.</summary>
    public static int TextWidth(string text, int scale = 1) => PixelFont.Measure(text ?? "") * scale;

    /// <summary>The height of one line of text at <paramref name="scale"/>.</summary>
    public static int TextHeight(int scale = 1) => PixelFont.Height * scale;
}
