using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// 2-d average pooling, like <c>torch.nn.AvgPool2d</c>: input Shape [N, C, H, W], output Shape [N, C, H_out, W_out].
/// See <see cref="AvgPoolNd"/> for the divisor rule.
/// </summary>
public sealed class AvgPool2d : AvgPoolNd
{
    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">Window size (required).</param>
    /// <param name="stride">Window step; the kernel size when not given.</param>
    /// <param name="padding">Implicit zero padding on both sides, at most half the kernel; 0 when not given.</param>
    /// <param name="ceilMode">Round the output size up instead of down.</param>
    /// <param name="countIncludePad">Count padded positions in the divisor.</param>
    public AvgPool2d(SpatialSize kernelSize, SpatialSize stride = default, SpatialSize padding = default, bool ceilMode = false, bool countIncludePad = true)
        : base(ConvGeometry.ForPooling(nameof(AvgPool2d), 2, kernelSize, stride, padding, default), ceilMode, countIncludePad)
    {
    }
}
