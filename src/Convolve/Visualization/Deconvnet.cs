using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Visualization;

/// <summary>
/// Zeiler &amp; Fergus's projection of a feature back to pixel space ("Visualizing and Understanding
/// Convolutional Networks", 2014, section 2.1): run the image forward to the layer, keep the single
/// strongest activation of the channel and set every other activation of the layer to zero, then
/// go back through the layers below, by default with the deconvnet rules (max unpooling with the
/// recorded switches, rectification, transposed convolution with the layer's own weights), or
/// with the gradient's or guided backpropagation's (<see cref="ProjectionMethod"/>).
/// </summary>
public static class Deconvnet
{
    /// <summary>Projects the strongest activation of <paramref name="channel"/> of <paramref name="target"/> for one image.</summary>
    /// <param name="model">The network.</param>
    /// <param name="target">The layer of the feature.</param>
    /// <param name="image">Shape [1, …]: one input.</param>
    /// <param name="imageIndex">Recorded in the result's site.</param>
    /// <param name="channel">The channel (dimension 1 of the layer's output).</param>
    /// <param name="method">How the signal goes back.</param>
    /// <exception cref="ArgumentException">The channel is out of range, or the image is not a batch of one.</exception>
    public static FeatureProjection Project(Layer model, Layer target, Tensor image, int imageIndex, int channel, ProjectionMethod method = ProjectionMethod.Deconvnet)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(target);
        if (image.Rank < 2 || image.Shape[0] != 1)
        {
            throw new ArgumentException($"one image [1, …] is projected at a time but got {image.Shape}", nameof(image));
        }
        ForwardTrace trace = ForwardTrace.Run(model, image, target);
        LayerChannels.Require([channel], trace.Output.Shape, target.Name);
        var (value, offset) = LayerChannels.Strongest(trace.Output, 0, channel);
        var signal = new Tensor(trace.Output.Shape);
        int plane = trace.Output.Shape.SizeFrom(2);
        signal.Data[channel * plane + offset] = value;
        Tensor projection = new Projector(method).Project(trace, signal);
        int[] position = LayerChannels.Position(trace.Output.Shape, offset);
        var site = new ActivationSite(imageIndex, channel, value, position);
        return new FeatureProjection(site, projection.Reshape(image.Shape.Dimensions[1..].ToArray()), ReceptiveField.Of(trace, position));
    }
}
