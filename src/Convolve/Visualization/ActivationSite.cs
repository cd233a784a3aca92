namespace Convolve.Visualization;

/// <summary>Where a channel of a layer responds most to one input: the image, the value and its spatial position in the layer's output.</summary>
/// <param name="ImageIndex">Index of the image in the scanned set.</param>
/// <param name="Channel">The channel (or feature of a layer without spatial dimensions).</param>
/// <param name="Value">The strongest activation of the channel for the image.</param>
/// <param name="Position">Its spatial position (empty when the layer has no spatial dimensions).</param>
public sealed record ActivationSite(int ImageIndex, int Channel, float Value, int[] Position);
