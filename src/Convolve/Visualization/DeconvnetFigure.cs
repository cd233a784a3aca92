using Convolve.Tensors;

namespace Convolve.Visualization;

/// <summary>
/// Zeiler &amp; Fergus's figure 2 layout for one channel: the projections of its top activations in a
/// square grid on the left, the input patches that produced them (each activation's receptive
/// field) in the same places on the right. Every projection is scaled on its own, zero at mid-gray;
/// field areas outside the image (the padding at a border) are mid-gray too.
/// </summary>
public static class DeconvnetFigure
{
    /// <summary>The figure for one channel, Shape [3, H, W].</summary>
    /// <param name="caption">The line written above, e.g. the layer and channel.</param>
    /// <param name="projections">The channel's projections, strongest first.</param>
    /// <param name="pictureOf">The displayable input [C, H, W] in [0, 1] of an image index.</param>
    public static Tensor Channel(string caption, IReadOnlyList<FeatureProjection> projections, Func<int, Tensor> pictureOf)
    {
        ArgumentNullException.ThrowIfNull(projections);
        ArgumentNullException.ThrowIfNull(pictureOf);
        if (projections.Count == 0)
        {
            throw new ArgumentException("a channel figure needs at least one projection", nameof(projections));
        }
        InputBox first = projections[0].Field;
        if (first.Rank != 2)
        {
            throw new ArgumentException($"pictures need two spatial dimensions but the input has {first.Rank}", nameof(projections));
        }
        int columns = (int)Math.Ceiling(Math.Sqrt(projections.Count));
        int size = Math.Max(first.NominalSize(0), first.NominalSize(1));
        int zoom = Math.Max(1, 64 / size);
        var projected = projections.Select(p => Crop(DisplayScaling.Symmetric(p.Projection), p.Field)).ToList();
        var patches = projections.Select(p => Crop(pictureOf(p.Site.ImageIndex), p.Field)).ToList();
        Tensor grids = ImageGrid.Beside([ImageGrid.Tile(projected, columns, zoom), ImageGrid.Tile(patches, columns, zoom)], gap: 10);
        return ImageGrid.Captioned(caption, grids);
    }

    /// <summary>The channel figures in a grid of <paramref name="columns"/>, for an overview of a layer.</summary>
    public static Tensor Overview(IReadOnlyList<Tensor> channelFigures, int columns = 4) => ImageGrid.Tile(channelFigures, columns, gap: 16);

    /// <summary>The nominal field of <paramref name="box"/> cut from a picture [C, H, W], positions outside it mid-gray.</summary>
    internal static Tensor Crop(Tensor picture, InputBox box)
    {
        int channels = picture.Shape[0], height = picture.Shape[1], width = picture.Shape[2];
        int cropHeight = box.NominalSize(0), cropWidth = box.NominalSize(1);
        var crop = Tensor.Full(new Shape(channels, cropHeight, cropWidth), 0.5f);
        for (int c = 0; c < channels; c++)
        {
            for (int y = box.Start[0]; y < box.End[0]; y++)
            {
                for (int x = box.Start[1]; x < box.End[1]; x++)
                {
                    crop.Data[(c * cropHeight + y - box.NominalStart[0]) * cropWidth + x - box.NominalStart[1]] = picture.Data[(c * height + y) * width + x];
                }
            }
        }
        return crop;
    }
}
