using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// 3-d max pooling, like <c>torch.nn.MaxPool3d</c>: input Shape [N, C, D, H, W], output Shape [N, C, D_out, H_out, W_out].
/// See <see cref="MaxPoolNd"/> for the tie, NaN and switch conventions.
/// </summary>
public sealed class MaxPool3d : MaxPoolNd
{
    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">Window size (required).</param>
    /// <param name="stride">Window step; the kernel size when not given.</param>
    /// <param name="padding">Implicit −∞ padding on both sides, at most half the kernel; 0 when not given.</param>
    /// <param name="dilation">Spacing between window taps; 1 when not given.</param>
    /// <param name="ceilMode">Round the output size up instead of down.</param>
    public MaxPool3d(SpatialSize kernelSize, SpatialSize stride = default, SpatialSize padding = default, SpatialSize dilation = default, bool ceilMode = false)
        : base(ConvGeometry.ForPooling(nameof(MaxPool3d), 3, kernelSize, stride, padding, dilation), ceilMode)
    {
    }
}
