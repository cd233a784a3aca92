using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// 2-d max unpooling, like <c>torch.nn.MaxUnpool2d</c>: input and indices Shape [N, C, H, W] (from
/// <see cref="MaxPool2d"/>), output Shape [N, C, H_out, W_out]. See <see cref="MaxUnpoolNd"/> for the output size rule.
/// </summary>
public sealed class MaxUnpool2d : MaxUnpoolNd
{
    /// <summary>Creates the unpooling for a max pooling with the same kernel, stride and padding.</summary>
    /// <param name="kernelSize">Window size of the pooling (required).</param>
    /// <param name="stride">Window step of the pooling; the kernel size when not given.</param>
    /// <param name="padding">Padding of the pooling; 0 when not given.</param>
    public MaxUnpool2d(SpatialSize kernelSize, SpatialSize stride = default, SpatialSize padding = default)
        : base(nameof(MaxUnpool2d), 2, kernelSize, stride, padding)
    {
    }
}
