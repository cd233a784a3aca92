using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// 1-d transposed convolution, like <c>torch.nn.ConvTranspose1d</c> (same argument order):
/// input Shape [N, C_in, L], output Shape [N, C_out, L_out], weight [C_in, C_out/groups, k_L], bias [C_out].
/// </summary>
public sealed class ConvTranspose1d : ConvTransposeNd
{
    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    /// <param name="inChannels">Input channels C_in.</param>
    /// <param name="outChannels">Output channels C_out.</param>
    /// <param name="kernelSize">Kernel size (required).</param>
    /// <param name="stride">Stride; 1 when not given.</param>
    /// <param name="padding">Zero padding of the corresponding convolution, removed from the output; sizes or "valid"; 0 when not given.</param>
    /// <param name="outputPadding">Extra size on the far side of the output; must be smaller than stride or dilation; 0 when not given.</param>
    /// <param name="groups">Blocked connections; must divide both channel counts.</param>
    /// <param name="bias">Whether to learn a bias.</param>
    /// <param name="dilation">Spacing between kernel taps; 1 when not given.</param>
    /// <param name="random">Source of the initial values; <see cref="RandomSource.Global"/> when null.</param>
    public ConvTranspose1d(
        int inChannels, int outChannels, SpatialSize kernelSize, SpatialSize stride = default, Padding padding = default,
        SpatialSize outputPadding = default, int groups = 1, bool bias = true, SpatialSize dilation = default, RandomSource? random = null)
        : base(nameof(ConvTranspose1d), 1, inChannels, outChannels, kernelSize, stride, padding, outputPadding, groups, bias, dilation, random)
    {
    }
}
