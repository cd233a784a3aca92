using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// 1-d convolution, like <c>torch.nn.Conv1d</c>: input Shape [N, C_in, L], output Shape [N, C_out, L_out],
/// weight [C_out, C_in/groups, k_L], bias [C_out].
/// </summary>
public sealed class Conv1d : ConvNd
{
    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    /// <param name="inChannels">Input channels C_in.</param>
    /// <param name="outChannels">Output channels C_out.</param>
    /// <param name="kernelSize">Kernel size (required).</param>
    /// <param name="stride">Stride; 1 when not given.</param>
    /// <param name="padding">Zero padding: sizes, or "valid", "same" (stride 1) or "full"; 0 when not given.</param>
    /// <param name="dilation">Spacing between kernel taps; 1 when not given.</param>
    /// <param name="groups">Blocked connections; must divide both channel counts.</param>
    /// <param name="bias">Whether to learn a bias.</param>
    /// <param name="random">Source of the initial values; <see cref="RandomSource.Global"/> when null.</param>
    public Conv1d(
        int inChannels, int outChannels, SpatialSize kernelSize, SpatialSize stride = default, Padding padding = default,
        SpatialSize dilation = default, int groups = 1, bool bias = true, RandomSource? random = null)
        : base(nameof(Conv1d), 1, inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, random)
    {
    }
}
