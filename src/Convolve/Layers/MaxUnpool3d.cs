using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// 3-d max unpooling, like <c>torch.nn.MaxUnpool3d</c>: input and indices Shape [N, C, D, H, W] (from
/// <see cref="MaxPool3d"/>), output Shape [N, C, D_out, H_out, W_out]. See <see cref="MaxUnpoolNd"/> for the output size rule.
/// </summary>
public sealed class MaxUnpool3d : MaxUnpoolNd
{
    /// <summary>Creates the unpooling for a max pooling with the same kernel, stride and padding.</summary>
    /// <param name="kernelSize">Window size of the pooling (required).</param>
    /// <param name="stride">Window step of the pooling; the kernel size when not given.</param>
    /// <param name="padding">Padding of the pooling; 0 when not given.</param>
    public MaxUnpool3d(SpatialSize kernelSize, SpatialSize stride = default, SpatialSize padding = default)
        : base(nameof(MaxUnpool3d), 3, kernelSize, stride, padding)
    {
    }
}
