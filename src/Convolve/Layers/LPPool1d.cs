using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// 1-d power-average pooling, like <c>torch.nn.LPPool1d</c>: input Shape [N, C, L], output Shape [N, C, L_out].
/// See <see cref="LPPoolNd"/> for how PyTorch computes it, including its ceil-mode rescaling.
/// </summary>
public sealed class LPPool1d : LPPoolNd
{
    /// <summary>Creates the layer.</summary>
    /// <param name="normType">The exponent p; finite and positive.</param>
    /// <param name="kernelSize">Window size (required).</param>
    /// <param name="stride">Window step; the kernel size when not given.</param>
    /// <param name="ceilMode">Round the output size up instead of down.</param>
    public LPPool1d(double normType, SpatialSize kernelSize, SpatialSize stride = default, bool ceilMode = false)
        : base(ConvGeometry.ForPooling(nameof(LPPool1d), 1, kernelSize, stride, default, default), normType, ceilMode)
    {
    }
}
