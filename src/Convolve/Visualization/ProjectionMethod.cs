namespace Convolve.Visualization;

/// <summary>
/// How a signal goes back through a network (Springenberg et al. 2015, figure 1, compare the three).
/// They differ only at rectifiers: every convolution is undone by the transposed convolution with
/// the layer's own weights (no bias), every max pooling routes through its recorded switches, and
/// every other layer by its own backward pass (batch normalisation in evaluation mode thus scales
/// each channel by γ/√(σ² + ε), the transpose of its affine map).
/// </summary>
public enum ProjectionMethod
{
    /// <summary>The gradient (Simonyan et al. 2014): at a ReLU, the signal passes where the forward input was positive.</summary>
    Gradient,

    /// <summary>
    /// Zeiler and Fergus's deconvnet (2014): at a ReLU, the rectifier is applied to the signal itself,
    /// whatever the forward input was; max pooling is undone by max unpooling with the switches.
    /// </summary>
    Deconvnet,

    /// <summary>Guided backpropagation: at a ReLU, the signal passes where both it and the forward input are positive.</summary>
    GuidedBackprop,
}
