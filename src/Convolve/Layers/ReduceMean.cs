using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// The mean over the trailing dimensions from <see cref="StartDim"/> on (≥ 1; the batch is never
/// reduced), as <c>x.mean(dims, keepdim)</c> in PyTorch and ONNX's <c>ReduceMean</c>: ShuffleNet's and
/// MNASNet's <c>x.mean([2, 3])</c> is <c>ReduceMean(2, keepDim: false)</c>. Sums in double.
/// </summary>
public sealed class ReduceMean : Layer
{
    private Shape? cachedInputShape;

    /// <summary>Averages dimensions <paramref name="startDim"/>.. of the input, keeping them as size 1 when <paramref name="keepDim"/>.</summary>
    public ReduceMean(int startDim, bool keepDim)
    {
        if (startDim < 1)
        {
            throw new ArgumentException($"ReduceMean: startDim must be at least 1 (the batch is not reduced) but got {startDim}", nameof(startDim));
        }
        (StartDim, KeepDim) = (startDim, keepDim);
    }

    /// <summary>The first reduced dimension; all after it are reduced too.</summary>
    public int StartDim { get; }

    /// <summary>Whether the reduced dimensions stay as size 1.</summary>
    public bool KeepDim { get; }

    /// <inheritdoc/>
    public override Shape OutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Rank <= StartDim || inputShape.SizeFrom(StartDim) == 0)
        {
            throw InputError($"reducing dimensions {StartDim}.. needs an input of rank above {StartDim} with non-empty sizes there but got {inputShape}");
        }
        int[] kept = inputShape.Dimensions[..StartDim].ToArray();
        return KeepDim ? new Shape([.. kept, .. Enumerable.Repeat(1, inputShape.Rank - StartDim)]) : new Shape(kept);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor output = NewOutput(OutputShape(input.Shape), overwritten: true);
        int group = input.Shape.SizeFrom(StartDim);
        for (int o = 0; o < output.Size; o++)
        {
            double sum = 0;
            foreach (float v in input.Data.AsSpan(o * group, group))
            {
                sum += v;
            }
            output.Data[o] = (float)(sum / group);
        }
        cachedInputShape = input.Shape;
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        Shape inputShape = RequireCached(cachedInputShape);
        RequireGradShape(gradOutput, OutputShape(inputShape));
        Tensor gradInput = NewGradInput(inputShape, overwritten: true);
        int group = inputShape.SizeFrom(StartDim);
        for (int o = 0; o < gradOutput.Size; o++)
        {
            gradInput.Data.AsSpan(o * group, group).Fill(gradOutput.Data[o] / group);
        }
        return gradInput;
    }
}
