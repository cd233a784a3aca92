using Convolve.Diagnostics;
using Convolve.Tensors;
using Convolve.Visualization;

namespace Convolve.Tests.Visualization;

/// <summary>The animation frames shade exactly the window's taps, over the padded, dilated or stride-spread input.</summary>
public class WindowAnimationTests
{
    // The layout of WindowAnimation: cells of 22 pixels, a 10-pixel margin, 12 pixels for the title line.
    private const int Cell = 22, Left = 10, Top = 22;
    private static readonly Rgb Tap = Rgb.FromHex(0x16395E), TapOnPadding = Rgb.FromHex(0xA9B4BF), Input = Rgb.FromHex(0x4C9BE8);

    [Theory]
    [InlineData(5, 3, 2, 1, 1, 4, 7, 7)]
    [InlineData(7, 3, 1, 0, 2, 5, 7, 7)]
    public void A_convolution_frame_shades_its_taps_over_the_padded_input(int input, int kernel, int stride, int padding, int dilation, int frame, int rows, int columns)
    {
        var explained = ConvolutionExplanation.Convolution([input, input], [kernel, kernel], [stride, stride], [padding, padding], [dilation, dilation]);
        IReadOnlyList<Tensor> frames = WindowAnimation.Frames(explained, "T");
        Assert.Equal(explained.OutputSize[0] * explained.OutputSize[1], frames.Count);
        int outRow = frame / explained.OutputSize[1], outColumn = frame % explained.OutputSize[1];
        for (int row = 0; row < rows; row++)
        {
            for (int column = 0; column < columns; column++)
            {
                int a = row - outRow * stride, b = column - outColumn * stride;
                bool tap = a >= 0 && b >= 0 && a % dilation == 0 && b % dilation == 0 && a / dilation < kernel && b / dilation < kernel;
                bool padded = row < padding || column < padding || row >= padding + input || column >= padding + input;
                Rgb expected = tap ? (padded ? TapOnPadding : Tap) : padded ? Rgb.FromHex(0xF4F4F4) : Input;
                Assert.Equal(expected, Centre(frames[frame], row, column));
            }
        }
    }

    [Fact]
    public void A_transposed_frame_spreads_the_input_by_the_stride_and_pads_by_dilation_times_kernel_less_one()
    {
        // Input 3, kernel 3, stride 2, padding 1, output padding 1: input cells at 1, 3, 5 of a 3·2 − 1 + 2·1 + 1 = 8-cell row.
        var explained = ConvolutionExplanation.Transposed([3, 3], [3, 3], [2, 2], [1, 1], [1, 1], [1, 1]);
        IReadOnlyList<Tensor> frames = WindowAnimation.Frames(explained, "T");
        Assert.Equal(36, frames.Count);
        int[] inputCells = [1, 3, 5];
        for (int row = 0; row < 8; row++)
        {
            for (int column = 0; column < 8; column++)
            {
                bool isInput = inputCells.Contains(row) && inputCells.Contains(column);
                bool tap = row < 3 && column < 3;
                Rgb expected = tap ? (isInput ? Tap : TapOnPadding) : isInput ? Input : Rgb.FromHex(0xF4F4F4);
                Assert.Equal(expected, Centre(frames[0], row, column));
            }
        }
    }

    private static Rgb Centre(Tensor frame, int row, int column)
    {
        int height = frame.Shape[1], width = frame.Shape[2], y = Top + row * Cell + Cell / 2, x = Left + column * Cell + Cell / 2;
        float Channel(int c) => frame.Data[(c * height + y) * width + x];
        return new Rgb(Channel(0), Channel(1), Channel(2));
    }
}
