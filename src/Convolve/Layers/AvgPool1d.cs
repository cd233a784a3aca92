using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// 1-d average pooling, like <c>torch.nn.AvgPool1d</c>: input Shape [N, C, L], output Shape [N, C, L_out].
/// See <see cref="AvgPoolNd"/> for the divisor rule.
/// </summary>
public sealed class AvgPool1d : AvgPoolNd
{
    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">Window size (required).</param>
    /// <param name="stride">Window step; the kernel size when not given.</param>
    /// <param name="padding">Implicit zero padding on both sides, at most half the kernel; 0 when not given.</param>
    /// <param name="ceilMode">Round the output size up instead of down.</param>
    /// <param name="countIncludePad">Count padded positions in the divisor.</param>
    public AvgPool1d(SpatialSize kernelSize, SpatialSize stride = default, SpatialSize padding = default, bool ceilMode = false, bool countIncludePad = true)
        : base(ConvGeometry.ForPooling(nameof(AvgPool1d), 1, kernelSize, stride, padding, default), ceilMode, countIncludePad)
    {
    }
}
