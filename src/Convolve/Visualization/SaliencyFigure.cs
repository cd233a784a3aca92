using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Visualization;

/// <summary>
/// One image explained three ways for one class (Springenberg et al. 2015, figure 3): the input,
/// the saliency map (largest absolute gradient over channels, Simonyan et al.), and the class
/// score taken back by guided backpropagation and by the deconvnet (signed, zero at mid-gray).
/// </summary>
public static class SaliencyFigure
{
    /// <summary>The figure, Shape [3, H, W], for one model input [1, C, H, W] shown as <paramref name="picture"/>.</summary>
    public static Tensor Of(Layer model, Tensor input, Tensor picture, int classIndex, string caption)
    {
        ArgumentNullException.ThrowIfNull(picture);
        Tensor gradient = Saliency.Of(model, input, classIndex, ProjectionMethod.Gradient);
        Tensor guided = Saliency.Of(model, input, classIndex, ProjectionMethod.GuidedBackprop);
        Tensor deconvnet = Saliency.Of(model, input, classIndex, ProjectionMethod.Deconvnet);
        int zoom = Math.Max(1, 112 / picture.Shape[1]);
        Tensor Panel(string title, Tensor image) => ImageGrid.Captioned(title, ImageGrid.Zoom(image, zoom));
        Tensor row = ImageGrid.Beside([
            Panel("INPUT", picture),
            Panel("GRADIENT", DisplayScaling.MinMax(Saliency.MaxAbsoluteOverChannels(gradient))),
            Panel("GUIDED BACKPROP", DisplayScaling.Symmetric(guided)),
            Panel("DECONVNET", DisplayScaling.Symmetric(deconvnet)),
        ], gap: 12);
        return ImageGrid.Captioned(caption, row, scale: 1);
    }
}
