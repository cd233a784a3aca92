using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Visualization;

/// <summary>
/// The inputs of a data set that excite each chosen channel of a layer most (Zeiler &amp; Fergus's
/// "top 9"): every image runs forward to the layer in evaluation mode, in batches, and each
/// channel keeps the images with the largest single activation anywhere in its map.
/// </summary>
public static class TopActivations
{
    /// <summary>For each of <paramref name="channels"/>, the <paramref name="top"/> strongest sites, strongest first (ties: lower image index first).</summary>
    /// <param name="model">The network.</param>
    /// <param name="target">The layer whose channels are ranked.</param>
    /// <param name="images">Shape [N, …], the model's input layout.</param>
    /// <param name="channels">Channels of the layer's output (dimension 1).</param>
    /// <param name="top">How many images per channel; at most N.</param>
    /// <param name="batchSize">Images per forward pass.</param>
    /// <exception cref="ArgumentException">A channel is out of range (the message names the channel count), or top is not in [1, N].</exception>
    public static IReadOnlyList<ActivationSite[]> Find(Layer model, Layer target, Tensor images, IReadOnlyList<int> channels, int top, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(channels);
        int count = images.Shape[0];
        if (top < 1 || top > count)
        {
            throw new ArgumentException($"top must be in [1, {count}] (the images scanned) but got {top}", nameof(top));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var best = channels.Select(_ => new List<ActivationSite>()).ToArray();
        int item = images.Shape.SizeFrom(1);
        for (int start = 0; start < count; start += batchSize)
        {
            int n = Math.Min(batchSize, count - start);
            var batch = new Tensor(new Shape([n, .. images.Shape.Dimensions[1..]]), images.Data.AsSpan(start * item, n * item).ToArray());
            Tensor output = ForwardTrace.Run(model, batch, target).Output;
            if (start == 0)
            {
                LayerChannels.Require(channels, output.Shape, target.Name);
            }
            for (int c = 0; c < channels.Count; c++)
            {
                Keep(best[c], output, start, channels[c], top);
            }
        }
        return best.Select(list => list.ToArray()).ToArray();
    }

    /// <summary>Adds the batch's images to a channel's ranking and keeps the best <paramref name="top"/>.</summary>
    private static void Keep(List<ActivationSite> ranking, Tensor output, int firstImage, int channel, int top)
    {
        for (int i = 0; i < output.Shape[0]; i++)
        {
            var (value, offset) = LayerChannels.Strongest(output, i, channel);
            if (ranking.Count == top && !(value > ranking[^1].Value))
            {
                continue;
            }
            var site = new ActivationSite(firstImage + i, channel, value, LayerChannels.Position(output.Shape, offset));
            int at = ranking.FindIndex(s => value > s.Value);
            ranking.Insert(at < 0 ? ranking.Count : at, site);
            if (ranking.Count > top)
            {
                ranking.RemoveAt(top);
            }
        }
    }
}
