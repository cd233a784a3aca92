using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Visualization;

/// <summary>
/// A convolution's kernels as a grid of small pictures, all on one scale (zero at mid-gray, the
/// layer's largest magnitude at black or white) so that strong and weak filters can be compared.
/// A kernel over one or three input channels is shown as it is (gray or RGB); over any other
/// number, or when asked, summed over its input channels.
/// </summary>
public static class FilterFigure
{
    /// <summary>The kernel grid, Shape [3, H, W].</summary>
    /// <param name="convolution">A 2-d convolution, weight [C_out, C_in/groups, kH, kW].</param>
    /// <param name="sumInputChannels">Sum each kernel over its input channels even when there are 1 or 3.</param>
    /// <param name="caption">The line written above (none when null).</param>
    public static Tensor Of(ConvNd convolution, bool sumInputChannels = false, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(convolution);
        Tensor weight = convolution.Weight.Value;
        if (weight.Rank != 4)
        {
            throw new ArgumentException($"{convolution.Name} has {weight.Rank - 2} spatial dimensions; filters are drawn for 2-d convolutions", nameof(convolution));
        }
        int outputs = weight.Shape[0], inputs = weight.Shape[1], kh = weight.Shape[2], kw = weight.Shape[3];
        bool summed = sumInputChannels || inputs is not (1 or 3);
        var kernels = new List<Tensor>(outputs);
        for (int o = 0; o < outputs; o++)
        {
            var kernel = new Tensor(new Shape(inputs, kh, kw), weight.Data.AsSpan(o * inputs * kh * kw, inputs * kh * kw).ToArray());
            kernels.Add(summed ? SumChannels(kernel) : kernel);
        }
        float scale = kernels.Max(k => DisplayScaling.MaxAbsolute(k.Span));
        int zoom = Math.Max(1, 40 / Math.Max(kh, kw));
        Tensor grid = ImageGrid.Tile(kernels.Select(k => DisplayScaling.Symmetric(k, scale)).ToList(), (int)Math.Ceiling(Math.Sqrt(outputs)), zoom, gap: 3);
        return caption is null ? grid : ImageGrid.Captioned(caption, grid);
    }

    private static Tensor SumChannels(Tensor kernel)
    {
        int channels = kernel.Shape[0], plane = kernel.Shape.SizeFrom(1);
        var sum = new Tensor(new Shape([1, .. kernel.Shape.Dimensions[1..]]));
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < plane; i++)
            {
                sum.Data[i] += kernel.Data[c * plane + i];
            }
        }
        return sum;
    }
}
