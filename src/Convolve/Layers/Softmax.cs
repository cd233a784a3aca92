using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// <c>y_i = e^(x_i − max) / Σ_j e^(x_j − max)</c> along <see cref="Dim"/>, as <c>torch.nn.Softmax(dim)</c>
/// (the max is subtracted for stability, the sum is taken in double). Backward:
/// <c>gradInput = y·(gradOutput − Σ gradOutput·y)</c> along the same dimension.
/// </summary>
public sealed class Softmax : Layer
{
    private Tensor? savedOutput;

    /// <summary>Softmax along <paramref name="dim"/> (negative counts from the end, as in PyTorch).</summary>
    public Softmax(int dim = -1) => Dim = dim;

    /// <summary>The dimension normalised over, as given.</summary>
    public int Dim { get; }

    /// <inheritdoc/>
    public override Shape OutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        Axis(inputShape);
        return inputShape;
    }

    /// <summary>Shape [*] → [*].</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (outer, size, inner) = Split(input.Shape);
        Tensor output = NewOutput(input.Shape, overwritten: true);
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int start = o * size * inner + i;
                float max = float.NegativeInfinity;
                for (int k = 0; k < size; k++)
                {
                    max = Math.Max(max, input.Data[start + k * inner]);
                }
                double sum = 0;
                for (int k = 0; k < size; k++)
                {
                    sum += output.Data[start + k * inner] = MathF.Exp(input.Data[start + k * inner] - max);
                }
                for (int k = 0; k < size; k++)
                {
                    output.Data[start + k * inner] = (float)(output.Data[start + k * inner] / sum);
                }
            }
        }
        savedOutput = output;
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        Tensor y = RequireCached(savedOutput);
        RequireGradShape(gradOutput, y.Shape);
        var (outer, size, inner) = Split(y.Shape);
        Tensor gradInput = NewGradInput(y.Shape, overwritten: true);
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int start = o * size * inner + i;
                double dot = 0;
                for (int k = 0; k < size; k++)
                {
                    dot += (double)gradOutput.Data[start + k * inner] * y.Data[start + k * inner];
                }
                for (int k = 0; k < size; k++)
                {
                    int at = start + k * inner;
                    gradInput.Data[at] = (float)(y.Data[at] * (gradOutput.Data[at] - dot));
                }
            }
        }
        return gradInput;
    }

    private int Axis(Shape shape)
    {
        int axis = Dim < 0 ? Dim + shape.Rank : Dim;
        return axis >= 0 && axis < shape.Rank ? axis : throw InputError($"dim {Dim} is outside input {shape}");
    }

    private (int Outer, int Size, int Inner) Split(Shape shape)
    {
        int axis = Axis(shape);
        int inner = shape.SizeFrom(axis + 1);
        return (shape.Size / Math.Max(1, shape[axis] * inner), shape[axis], inner);
    }
}
