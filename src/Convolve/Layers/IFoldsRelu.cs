namespace Convolve.Layers;

/// <summary>
/// A layer that can run a following <see cref="ReLU"/> inside itself (<see cref="BatchNorm"/>,
/// <see cref="ConvNd"/>): <see cref="ForwardWithRelu"/> writes the rectified output, and the layer's
/// backward pass then gates the incoming gradient as the ReLU's would. <see cref="Sequential"/> uses
/// it and skips the ReLU; the numbers are exactly those of the two layers.
/// </summary>
internal interface IFoldsRelu
{
    /// <summary>The layer's forward pass followed by ReLU.</summary>
    Tensors.Tensor ForwardWithRelu(Tensors.Tensor input);
}
