using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Visualization;

/// <summary>
/// Class-score maps for one image of a frozen classifier: the gradient of the class's score (the
/// logit, before the softmax) with respect to the image (Simonyan, Vedaldi &amp; Zisserman 2014,
/// "Deep Inside Convolutional Networks", section 3), and the same signal taken back by guided
/// backpropagation or the deconvnet rules for comparison.
/// </summary>
public static class Saliency
{
    /// <summary>The class score's signal at the input, Shape of one input [C, H, W].</summary>
    /// <param name="model">A classifier mapping [1, …] to scores [1, classes]; run in evaluation mode.</param>
    /// <param name="image">Shape [1, …]: one input.</param>
    /// <param name="classIndex">The class whose score is taken back.</param>
    /// <param name="method">The gradient (the saliency map's source), guided backpropagation or the deconvnet.</param>
    /// <exception cref="ArgumentException">The image is not a batch of one, the model does not output [1, classes], or the class is out of range.</exception>
    public static Tensor Of(Layer model, Tensor image, int classIndex, ProjectionMethod method = ProjectionMethod.Gradient)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Rank < 2 || image.Shape[0] != 1)
        {
            throw new ArgumentException($"one image [1, …] is explained at a time but got {image.Shape}", nameof(image));
        }
        ForwardTrace trace = ForwardTrace.Run(model, image);
        Shape scores = trace.Output.Shape;
        if (scores.Rank != 2)
        {
            throw new ArgumentException($"the model's output {scores} is not class scores [1, classes]", nameof(model));
        }
        if (classIndex < 0 || classIndex >= scores[1])
        {
            throw new ArgumentException($"class {classIndex} is out of range: the model has {scores[1]} classes (0-{scores[1] - 1})", nameof(classIndex));
        }
        var signal = new Tensor(scores);
        signal.Data[classIndex] = 1f;
        return new Projector(method).Project(trace, signal).Reshape(image.Shape.Dimensions[1..].ToArray());
    }

    /// <summary>Simonyan et al.'s map: the largest absolute gradient over the channels of each pixel; Shape [C, H, W] → [1, H, W].</summary>
    public static Tensor MaxAbsoluteOverChannels(Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        int channels = gradient.Shape[0], plane = gradient.Shape.SizeFrom(1);
        var map = new Tensor(new Shape([1, .. gradient.Shape.Dimensions[1..]]));
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < plane; i++)
            {
                map.Data[i] = Math.Max(map.Data[i], Math.Abs(gradient.Data[c * plane + i]));
            }
        }
        return map;
    }
}
