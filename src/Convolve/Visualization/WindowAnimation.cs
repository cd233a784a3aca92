using System.Globalization;
using Convolve.Diagnostics;
using Convolve.Tensors;

namespace Convolve.Visualization;

/// <summary>
/// Frames of a window sliding over its input, one per output element, in the style of Dumoulin
/// &amp; Visin's convolution-arithmetic figures: the input in blue, the zero padding as white cells,
/// the window's taps shaded dark (spread apart by the dilation), and the output beside it, its
/// current element dark and the ones already computed light. A transposed convolution is drawn as
/// the direct convolution it equals: its input spread apart by s − 1 zeros, padded by d(k − 1) − p
/// zeros on each side (and the output padding after), under a stride-1 window of the same
/// dilation with the kernel turned 180°. With values, each cell shows its number.
/// </summary>
public static class WindowAnimation
{
    private const int Cell = 22, Margin = 10, Gap = 36;
    private static readonly Rgb InputColour = Rgb.FromHex(0x4C9BE8), PaddingColour = Rgb.FromHex(0xF4F4F4), Border = Rgb.FromHex(0x9A9A9A);
    private static readonly Rgb TapColour = Rgb.FromHex(0x16395E), TapPaddingColour = Rgb.FromHex(0xA9B4BF);
    private static readonly Rgb OutputColour = Rgb.FromHex(0x8FDCCF), CurrentColour = Rgb.FromHex(0x1C7A6B);

    /// <summary>The frames, each Shape [3, H, W]; <paramref name="inputValues"/> and <paramref name="outputValues"/> (row-major) are written into the cells when given.</summary>
    /// <exception cref="ArgumentException">A transposed convolution whose padding exceeds d·(k − 1), which no zero padding of the spread input can draw.</exception>
    public static IReadOnlyList<Tensor> Frames(ConvolutionExplanation explained, string title, float[]? inputValues = null, float[]? outputValues = null)
    {
        ArgumentNullException.ThrowIfNull(explained);
        Layout layout = Layout.Of(explained);
        int[] output = explained.OutputSize;
        int width = 2 * Margin + Math.Max(layout.Columns * Cell + Gap + output[1] * Cell, Canvas.TextWidth(title));
        int height = 2 * Margin + 12 + Math.Max(layout.Rows, output[0]) * Cell;
        var frames = new List<Tensor>(output[0] * output[1]);
        for (int current = 0; current < output[0] * output[1]; current++)
        {
            var canvas = new Canvas(width, height, Rgb.White);
            canvas.DrawText(title, Margin, Margin, Rgb.Black);
            int top = Margin + 12;
            DrawInput(canvas, layout, top, inputValues, layout.Taps(current / output[1], current % output[1]).ToHashSet());
            DrawOutput(canvas, output, Margin + layout.Columns * Cell + Gap, top, current, outputValues);
            frames.Add(canvas.Image);
        }
        return frames;
    }

    private static void DrawInput(Canvas canvas, Layout layout, int top, float[]? values, HashSet<(int Row, int Column)> taps)
    {
        for (int row = 0; row < layout.Rows; row++)
        {
            for (int column = 0; column < layout.Columns; column++)
            {
                int source = layout.Source(row, column);
                int x = Margin + column * Cell, y = top + row * Cell;
                bool tap = taps.Contains((row, column));
                canvas.FillRectangle(x, y, Cell, Cell, source >= 0 ? (tap ? TapColour : InputColour) : (tap ? TapPaddingColour : PaddingColour));
                canvas.DrawRectangle(x, y, Cell + 1, Cell + 1, Border);
                if (source >= 0 && values is not null)
                {
                    Label(canvas, values[source], x, y, Rgb.White);
                }
            }
        }
    }

    private static void DrawOutput(Canvas canvas, int[] size, int left, int top, int current, float[]? values)
    {
        for (int i = 0; i < size[0] * size[1]; i++)
        {
            int x = left + i % size[1] * Cell, y = top + i / size[1] * Cell;
            canvas.FillRectangle(x, y, Cell, Cell, i == current ? CurrentColour : i < current ? OutputColour : Rgb.White);
            canvas.DrawRectangle(x, y, Cell + 1, Cell + 1, Border);
            if (values is not null && i <= current)
            {
                Label(canvas, values[i], x, y, i == current ? Rgb.White : Rgb.Black);
            }
        }
    }

    private static void Label(Canvas canvas, float value, int x, int y, Rgb colour)
    {
        string text = value.ToString("G3", CultureInfo.InvariantCulture);
        canvas.DrawText(text, x + (Cell - Canvas.TextWidth(text)) / 2, y + (Cell - Canvas.TextHeight()) / 2, colour);
    }

    /// <summary>Where the drawn input grid's cells come from, and which cells the window covers for each output.</summary>
    private sealed record Layout(int Rows, int Columns, int[] Offset, int[] Spread, int[] Stride, int[] Dilation, int[] InputSize, int[] Kernel)
    {
        public static Layout Of(ConvolutionExplanation e)
        {
            var g = e.Geometry;
            if (e.Kind != WindowKind.TransposedConvolution)
            {
                return new Layout(g.PadBefore[0] + e.InputSize[0] + g.PadAfter[0], g.PadBefore[1] + e.InputSize[1] + g.PadAfter[1],
                    g.PadBefore, [1, 1], g.Stride, g.Dilation, e.InputSize, g.Kernel);
            }
            int[] pad = [g.Dilation[0] * (g.Kernel[0] - 1) - g.PadBefore[0], g.Dilation[1] * (g.Kernel[1] - 1) - g.PadBefore[1]];
            if (pad.Any(p => p < 0))
            {
                throw new ArgumentException($"a transposed convolution with padding {Shape.Format(g.PadBefore)} larger than dilation·(kernel − 1) cannot be drawn as a padded direct convolution", nameof(e));
            }
            int Size(int d) => (e.InputSize[d] - 1) * g.Stride[d] + 1 + 2 * pad[d] + g.OutputPadding[d];
            return new Layout(Size(0), Size(1), pad, g.Stride, [1, 1], g.Dilation, e.InputSize, g.Kernel);
        }

        /// <summary>The input element a drawn cell shows (row-major), or −1 for padding or an inserted zero.</summary>
        public int Source(int row, int column)
        {
            int r = row - Offset[0], c = column - Offset[1];
            if (r < 0 || c < 0 || r % Spread[0] != 0 || c % Spread[1] != 0 || r / Spread[0] >= InputSize[0] || c / Spread[1] >= InputSize[1])
            {
                return -1;
            }
            return r / Spread[0] * InputSize[1] + c / Spread[1];
        }

        public IEnumerable<(int Row, int Column)> Taps(int outputRow, int outputColumn)
        {
            for (int a = 0; a < Kernel[0]; a++)
            {
                for (int b = 0; b < Kernel[1]; b++)
                {
                    yield return (outputRow * Stride[0] + a * Dilation[0], outputColumn * Stride[1] + b * Dilation[1]);
                }
            }
        }
    }
}
