using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// The maximum of each (n, c) plane, as ONNX's <c>GlobalMaxPool</c> and PyTorch's
/// <c>AdaptiveMaxPool2d(1)</c>: Shape [N, C, spatial...] → [N, C, 1, ...]. The first maximum in
/// scan order wins ties and a NaN wins, as in max pooling; backward routes each gradient to it.
/// </summary>
public sealed class GlobalMaxPool : Layer
{
    private int[]? switches;
    private Shape? cachedInputShape;

    /// <inheritdoc/>
    public override Shape OutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Rank < 3 || inputShape.SizeFrom(2) == 0)
        {
            throw InputError($"expected input [N, C, spatial...] with a non-empty plane but got {inputShape}");
        }
        return new Shape([inputShape[0], inputShape[1], .. Enumerable.Repeat(1, inputShape.Rank - 2)]);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Shape outputShape = OutputShape(input.Shape);
        int plane = input.Shape.SizeFrom(2), planes = outputShape.Size;
        Tensor output = NewOutput(outputShape, overwritten: true);
        if (switches is null || switches.Length != planes)
        {
            switches = new int[planes];
        }
        for (int p = 0; p < planes; p++)
        {
            ReadOnlySpan<float> values = input.Data.AsSpan(p * plane, plane);
            int best = 0;
            for (int i = 1; i < values.Length && !float.IsNaN(values[best]); i++)
            {
                if (values[i] > values[best] || float.IsNaN(values[i]))
                {
                    best = i;
                }
            }
            switches[p] = best;
            output.Data[p] = values[best];
        }
        cachedInputShape = input.Shape;
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        Shape inputShape = RequireCached(cachedInputShape);
        RequireGradShape(gradOutput, OutputShape(inputShape));
        Tensor gradInput = NewGradInput(inputShape);
        int plane = inputShape.SizeFrom(2);
        for (int p = 0; p < gradOutput.Size; p++)
        {
            gradInput.Data[p * plane + switches![p]] = gradOutput.Data[p];
        }
        return gradInput;
    }
}
