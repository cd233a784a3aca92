using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// Pads the spatial dimensions of [N, C, spatial...] (1–3 of them) with a constant, by its own
/// amount at each end, as <c>torch.nn.ConstantPad1d/2d/3d</c> and ONNX's constant <c>Pad</c>:
/// it is how an import honours the uneven "same" padding of ONNX's <c>auto_pad</c> (SAME_UPPER puts
/// the extra element after, SAME_LOWER before), which no convolution or pooling layer stores;
/// max pooling is padded with −∞, which no window maximum can pick over a real element.
/// Backward crops the gradient back to the input's extent.
/// </summary>
public sealed class ConstantPad : Layer
{
    private Shape? cachedInputShape;

    /// <summary>Pads by <paramref name="padBefore"/> and <paramref name="padAfter"/> (one non-negative size per spatial dimension) with <paramref name="value"/>.</summary>
    public ConstantPad(int[] padBefore, int[] padAfter, float value = 0f)
    {
        ArgumentNullException.ThrowIfNull(padBefore);
        ArgumentNullException.ThrowIfNull(padAfter);
        if (padBefore.Length is < 1 or > 3 || padAfter.Length != padBefore.Length || padBefore.Concat(padAfter).Any(p => p < 0))
        {
            throw new ArgumentException(
                $"ConstantPad: padding before {Shape.Format(padBefore)} and after {Shape.Format(padAfter)} must give one non-negative size per spatial dimension (1 to 3)", nameof(padBefore));
        }
        if (float.IsNaN(value))
        {
            throw new ArgumentException("ConstantPad: the value must not be NaN", nameof(value));
        }
        (PadBefore, PadAfter, Value) = ((int[])padBefore.Clone(), (int[])padAfter.Clone(), value);
    }

    /// <summary>Padding before each spatial dimension.</summary>
    public int[] PadBefore { get; }

    /// <summary>Padding after each spatial dimension.</summary>
    public int[] PadAfter { get; }

    /// <summary>The value written into the padding (may be ±∞).</summary>
    public float Value { get; }

    /// <inheritdoc/>
    public override Shape OutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        int dims = PadBefore.Length;
        if (inputShape.Rank != dims + 2)
        {
            throw InputError($"padding {dims} spatial dimension{(dims == 1 ? "" : "s")} needs an input [N, C, {dims} sizes] but got {inputShape}");
        }
        int[] output = inputShape.ToArray();
        for (int d = 0; d < dims; d++)
        {
            output[d + 2] += PadBefore[d] + PadAfter[d];
        }
        return new Shape(output);
    }

    /// <summary>Shape [N, C, spatial...] → [N, C, spatial + before + after...].</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Shape outputShape = OutputShape(input.Shape);
        Tensor output = NewOutput(outputShape, overwritten: true);
        output.Span.Fill(Value);
        CopyRows(input.Shape, outputShape, (inOffset, outOffset, length) =>
            input.Data.AsSpan(inOffset, length).CopyTo(output.Data.AsSpan(outOffset, length)));
        cachedInputShape = input.Shape;
        return output;
    }

    /// <summary>The gradient of the input's own elements: the output gradient cropped.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        Shape inputShape = RequireCached(cachedInputShape);
        Shape outputShape = OutputShape(inputShape);
        RequireGradShape(gradOutput, outputShape);
        Tensor gradInput = NewGradInput(inputShape, overwritten: true);
        CopyRows(inputShape, outputShape, (inOffset, outOffset, length) =>
            gradOutput.Data.AsSpan(outOffset, length).CopyTo(gradInput.Data.AsSpan(inOffset, length)));
        return gradInput;
    }

    /// <summary>Calls <paramref name="copy"/>(input offset, output offset, length) for every input row (the last dimension), in order.</summary>
    private void CopyRows(Shape input, Shape output, Action<int, int, int> copy)
    {
        int rank = input.Rank, width = input[-1];
        int rows = input.Size / Math.Max(width, 1);
        var index = new int[rank - 1];
        for (int row = 0; row < rows && width > 0; row++)
        {
            int outOffset = 0;
            for (int d = 0; d < rank - 1; d++)
            {
                int shift = d >= 2 ? PadBefore[d - 2] : 0;
                outOffset = outOffset * output[d] + index[d] + shift;
            }
            copy(row * width, outOffset * output[-1] + PadBefore[^1], width);
            for (int d = rank - 2; d >= 0 && ++index[d] == input[d]; d--)
            {
                index[d] = 0;
            }
        }
    }
}
