namespace Convolve.Layers;

/// <summary>
/// How a convolution or transposed convolution computes its passes, as cuDNN's and oneDNN's users
/// choose per layer. All give the same numbers up to float rounding (the order of the sums
/// differs), and each gives the same bits on any number of threads.
/// </summary>
public enum ConvolutionAlgorithm
{
    /// <summary>Chosen per layer, input shape and pass: of the algorithms that apply, the one of least expected cost (a fixed rule, <see cref="ConvolutionAlgorithms"/>); the default.</summary>
    Auto,

    /// <summary>im2col + GEMM, and GEMM + col2im backwards: the textbook derivation, and the reference for the others.</summary>
    Im2Col,

    /// <summary>Direct convolution on channel-blocked frames with register-blocked microkernels, no column matrix.</summary>
    Direct,

    /// <summary>Winograd's minimal filtering F(2×2, 3×3) for 2-d 3×3 stride-1 convolutions; other layers fall back to the rule.</summary>
    Winograd,

    /// <summary>Per-channel planes vectorised along the width, for depthwise layers (groups = in_channels, 1-d and 2-d); other layers fall back to the rule.</summary>
    Depthwise,
}

/// <summary>
/// The three passes of a convolution, in the convolution's own direction (a transposed
/// convolution's forward pass is the convolution's input-gradient pass). <see cref="ConvolutionAlgorithm.Auto"/>
/// may choose a different algorithm for each.
/// </summary>
public enum ConvolutionPass
{
    /// <summary>output = weight ⋆ input.</summary>
    Forward,

    /// <summary>The gradient with respect to the input.</summary>
    InputGradient,

    /// <summary>The gradient with respect to the weight.</summary>
    WeightGradient,
}
