using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// 1-d max unpooling, like <c>torch.nn.MaxUnpool1d</c>: input and indices Shape [N, C, L] (from
/// <see cref="MaxPool1d"/>), output Shape [N, C, L_out]. See <see cref="MaxUnpoolNd"/> for the output size rule.
/// </summary>
public sealed class MaxUnpool1d : MaxUnpoolNd
{
    /// <summary>Creates the unpooling for a max pooling with the same kernel, stride and padding.</summary>
    /// <param name="kernelSize">Window size of the pooling (required).</param>
    /// <param name="stride">Window step of the pooling; the kernel size when not given.</param>
    /// <param name="padding">Padding of the pooling; 0 when not given.</param>
    public MaxUnpool1d(SpatialSize kernelSize, SpatialSize stride = default, SpatialSize padding = default)
        : base(nameof(MaxUnpool1d), 1, kernelSize, stride, padding)
    {
    }
}
