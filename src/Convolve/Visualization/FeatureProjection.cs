using Convolve.Tensors;

namespace Convolve.Visualization;

/// <summary>One activation projected back to the input space.</summary>
/// <param name="Site">The activation: image, channel, value and position.</param>
/// <param name="Projection">The projected signal, Shape of one input [C, H, W].</param>
/// <param name="Field">The activation's receptive field in the input.</param>
public sealed record FeatureProjection(ActivationSite Site, Tensor Projection, InputBox Field);
