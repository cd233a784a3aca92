using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Visualization;

/// <summary>
/// Every layer's output for one input, one captioned row per layer in forward order: the input,
/// then each leaf layer's maps (a grid of its channels) or, for a layer without spatial
/// dimensions, its features in rows of 32 cells. Each layer is scaled on its own (its smallest
/// value black, its largest white), so channels of one layer compare. Flatten is skipped (it only
/// reshapes the layer before it).
/// </summary>
public static class FeatureMapFigure
{
    /// <summary>The figure, Shape [3, H, W], for one model input [1, C, H, W] shown as <paramref name="picture"/> (values in [0, 1]).</summary>
    public static Tensor Of(Layer model, Tensor input, Tensor picture)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(picture);
        ForwardTrace trace = ForwardTrace.Run(model, input);
        var rows = new List<Tensor> { ImageGrid.Captioned($"INPUT {Shape.Format(picture.Shape.Dimensions)}", ImageGrid.Zoom(picture, ZoomFor(picture.Shape[1]))) };
        foreach (NamedLayer named in NetworkLayers.Of(model))
        {
            if (named.Layer is Flatten or Residual)
            {
                continue;
            }
            Tensor output = trace.Of(named.Layer).Output;
            string caption = $"{named.Path} {named.Alias ?? named.Layer.Name} {Shape.Format(output.Shape.Dimensions[1..])}";
            rows.Add(ImageGrid.Captioned(caption, Maps(DisplayScaling.MinMax(output))));
        }
        return ImageGrid.Stack(rows, gap: 10);
    }

    private static Tensor Maps(Tensor scaled)
    {
        Shape shape = scaled.Shape;
        if (shape.Rank == 4)
        {
            int channels = shape[1], plane = shape[2] * shape[3];
            var maps = Enumerable.Range(0, channels)
                .Select(c => new Tensor(new Shape(1, shape[2], shape[3]), scaled.Data.AsSpan(c * plane, plane).ToArray())).ToList();
            return ImageGrid.Tile(maps, Math.Min(channels, 16), ZoomFor(shape[2]), gap: 2);
        }
        int features = scaled.Size, width = Math.Min(32, features), height = (features + width - 1) / width;
        var strip = Tensor.Full(new Shape(1, height, width), 1f);
        scaled.Span.CopyTo(strip.Span);
        return ImageGrid.Zoom(strip, 8);
    }

    private static int ZoomFor(int height) => Math.Max(1, 28 / Math.Max(1, height)) * 2;
}
