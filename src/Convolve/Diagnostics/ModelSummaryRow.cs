using Convolve.Tensors;

namespace Convolve.Diagnostics;

/// <summary>One row of a <see cref="ModelSummary"/>: a leaf layer, or the addition of a residual block.</summary>
/// <param name="Name">The layer's path, as in its parameter names: <c>0</c>, <c>4.body.1</c>; empty for a model that is a single layer.</param>
/// <param name="Type">The layer's class name, e.g. <c>Conv2d</c>; <c>Residual</c> for a block's addition.</param>
/// <param name="OutputShape">The shape the layer produces for the summarised input.</param>
/// <param name="Parameters">Elements of the layer's trainable parameters.</param>
/// <param name="Buffers">Elements of the layer's non-trainable state (BatchNorm's running statistics).</param>
/// <param name="Flops">Floating-point operations of the forward pass for the whole batch.</param>
/// <param name="ActivationBytes">Bytes of the float32 output the layer allocates (zero for Flatten, whose output is a view).</param>
/// <param name="WorkspaceBytes">
/// Bytes of a convolution's working copy of one image: the im2col column matrix, or the direct
/// algorithm's blocked input and output frames (convolutions only).
/// </param>
/// <param name="Algorithm">The convolution algorithm that runs for this input (<see cref="Layers.ConvolutionAlgorithm"/>); empty for other layers.</param>
public sealed record ModelSummaryRow(
    string Name, string Type, Shape OutputShape, long Parameters, long Buffers, long Flops, long ActivationBytes, long WorkspaceBytes, string Algorithm = "");
