using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// 2-d power-average pooling, like <c>torch.nn.LPPool2d</c>: input Shape [N, C, H, W], output Shape [N, C, H_out, W_out].
/// See <see cref="LPPoolNd"/> for how PyTorch computes it, including its ceil-mode rescaling.
/// </summary>
public sealed class LPPool2d : LPPoolNd
{
    /// <summary>Creates the layer.</summary>
    /// <param name="normType">The exponent p; finite and positive.</param>
    /// <param name="kernelSize">Window size (required).</param>
    /// <param name="stride">Window step; the kernel size when not given.</param>
    /// <param name="ceilMode">Round the output size up instead of down.</param>
    public LPPool2d(double normType, SpatialSize kernelSize, SpatialSize stride = default, bool ceilMode = false)
        : base(ConvGeometry.ForPooling(nameof(LPPool2d), 2, kernelSize, stride, default, default), normType, ceilMode)
    {
    }
}
