using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// 1-d max pooling, like <c>torch.nn.MaxPool1d</c>: input Shape [N, C, L], output Shape [N, C, L_out].
/// See <see cref="MaxPoolNd"/> for the tie, NaN and switch conventions.
/// </summary>
public sealed class MaxPool1d : MaxPoolNd
{
    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">Window size (required).</param>
    /// <param name="stride">Window step; the kernel size when not given.</param>
    /// <param name="padding">Implicit −∞ padding on both sides, at most half the kernel; 0 when not given.</param>
    /// <param name="dilation">Spacing between window taps; 1 when not given.</param>
    /// <param name="ceilMode">Round the output size up instead of down.</param>
    public MaxPool1d(SpatialSize kernelSize, SpatialSize stride = default, SpatialSize padding = default, SpatialSize dilation = default, bool ceilMode = false)
        : base(ConvGeometry.ForPooling(nameof(MaxPool1d), 1, kernelSize, stride, padding, dilation), ceilMode)
    {
    }
}
