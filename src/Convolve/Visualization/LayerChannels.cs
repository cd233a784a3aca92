using Convolve.Tensors;

namespace Convolve.Visualization;

/// <summary>Channel arithmetic on a layer output Shape [N, C, spatial...] (or [N, F]): checks and the strongest position of a channel.</summary>
internal static class LayerChannels
{
    /// <summary>Refuses channels outside [0, C), naming the layer and its channel count.</summary>
    public static void Require(IEnumerable<int> channels, Shape output, string layerName)
    {
        int count = output[1];
        foreach (int channel in channels)
        {
            if (channel < 0 || channel >= count)
            {
                throw new ArgumentException($"channel {channel} is out of range: layer {layerName} has {count} channels (0-{count - 1})", nameof(channels));
            }
        }
    }

    /// <summary>The largest value of <paramref name="channel"/> in image <paramref name="image"/> and its flat spatial offset (the first on ties).</summary>
    public static (float Value, int Offset) Strongest(Tensor output, int image, int channel)
    {
        int plane = output.Shape.SizeFrom(2);
        ReadOnlySpan<float> values = output.Span.Slice((image * output.Shape[1] + channel) * plane, plane);
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return (values[best], best);
    }

    /// <summary>Spatial indices of a flat offset within a plane of the output's spatial sizes.</summary>
    public static int[] Position(Shape output, int offset)
    {
        int[] position = new int[output.Rank - 2];
        for (int d = position.Length - 1; d >= 0; d--)
        {
            position[d] = offset % output[2 + d];
            offset /= output[2 + d];
        }
        return position;
    }
}
