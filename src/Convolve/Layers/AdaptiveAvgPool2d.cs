using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// 2-d adaptive average pooling, like <c>torch.nn.AdaptiveAvgPool2d</c>: input Shape [N, C, H, W],
/// output Shape [N, C, H_out, W_out] for any input size. Output row <c>i</c> averages input rows
/// <c>[floor(i·H/H_out), ceil((i + 1)·H/H_out))</c>, and likewise for columns (PyTorch's bins).
/// An output size of 1 is global average pooling.
/// </summary>
public sealed class AdaptiveAvgPool2d : Layer
{
    private Shape? cachedInputShape;

    /// <summary>Creates the layer.</summary>
    /// <param name="outputSize">Output (H_out, W_out), or one size for both (required, positive).</param>
    public AdaptiveAvgPool2d(SpatialSize outputSize)
    {
        if (!outputSize.IsSpecified)
        {
            throw new ArgumentException($"{nameof(AdaptiveAvgPool2d)}: outputSize is required", nameof(outputSize));
        }
        int[] size = outputSize.Resolve(2, nameof(outputSize), [1, 1]);
        if (size.Any(s => s <= 0))
        {
            throw new ArgumentException($"{nameof(AdaptiveAvgPool2d)}: outputSize must be positive but got {Shape.Format(size)}", nameof(outputSize));
        }
        OutputSize = size;
    }

    /// <summary>The output spatial size (H_out, W_out).</summary>
    public int[] OutputSize { get; }

    /// <inheritdoc/>
    public override Shape OutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Rank != 4)
        {
            throw InputError($"expected input [N, C, H, W] but got {inputShape}");
        }
        if (inputShape[1] <= 0 || inputShape[2] <= 0 || inputShape[3] <= 0)
        {
            throw InputError($"expected input [N, C, H, W] with positive channel and spatial sizes but got {inputShape}");
        }
        return new Shape(inputShape[0], inputShape[1], OutputSize[0], OutputSize[1]);
    }

    /// <summary>Computes the bin averages; Shape [N, C, H_out, W_out].</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var output = NewOutput(OutputShape(input.Shape));
        Shape s = input.Shape;
        PoolingAdaptiveAverage.Forward(input.Span, output.Span, s[0] * s[1], s[2], s[3], OutputSize[0], OutputSize[1]);
        cachedInputShape = s;
        return output;
    }

    /// <summary>Spreads each gradient, divided by its bin's size, over the bin; Shape [N, C, H, W].</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        Shape s = RequireCached(cachedInputShape);
        RequireGradShape(gradOutput, OutputShape(s));
        var gradInput = NewGradInput(s);
        PoolingAdaptiveAverage.BackwardAdd(gradOutput.Span, gradInput.Span, s[0] * s[1], s[2], s[3], OutputSize[0], OutputSize[1]);
        return gradInput;
    }
}
