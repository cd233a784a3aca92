namespace Convolve.Diagnostics;

/// <summary>Which layer a <see cref="ConvolutionExplanation"/> explains.</summary>
public enum WindowKind
{
    /// <summary>A convolution: the kernel slides over the (padded, dilated) input.</summary>
    Convolution,

    /// <summary>A transposed convolution: multiplication by Cᵀ, C being the convolution from its output size back to its input size.</summary>
    TransposedConvolution,

    /// <summary>Max pooling: the window slides as a convolution's, and keeps the largest value and its position (the switch).</summary>
    MaxPooling,
}
