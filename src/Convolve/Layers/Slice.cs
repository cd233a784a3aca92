using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// The elements <c>[Start, End)</c> of dimension <see cref="Dim"/> (≥ 1), as <c>x.narrow(dim, start,
/// end − start)</c> and ONNX's <c>Slice</c> with step 1: the channel halves of ShuffleNet's
/// <c>chunk(2, dim=1)</c> (ONNX <c>Split</c>) are two of them. Backward writes the gradient back into
/// that range of a zero gradient.
/// </summary>
public sealed class Slice : Layer
{
    private Shape? cachedInputShape;

    /// <summary>Takes <c>[start, end)</c> of dimension <paramref name="dim"/>; 0 ≤ start &lt; end.</summary>
    public Slice(int dim, int start, int end)
    {
        if (dim < 1 || start < 0 || end <= start)
        {
            throw new ArgumentException($"Slice: dim ({dim}) must be at least 1 and 0 <= start ({start}) < end ({end})", nameof(dim));
        }
        (Dim, Start, End) = (dim, start, end);
    }

    /// <summary>The sliced dimension.</summary>
    public int Dim { get; }

    /// <summary>The first index taken.</summary>
    public int Start { get; }

    /// <summary>One past the last index taken.</summary>
    public int End { get; }

    /// <inheritdoc/>
    public override Shape OutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Rank <= Dim || inputShape[Dim] < End)
        {
            throw InputError($"[{Start}, {End}) of dimension {Dim} does not lie inside input {inputShape}");
        }
        int[] output = inputShape.ToArray();
        output[Dim] = End - Start;
        return new Shape(output);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor output = NewOutput(OutputShape(input.Shape), overwritten: true);
        Copy(input.Shape, (inOffset, outOffset, length) => input.Data.AsSpan(inOffset, length).CopyTo(output.Data.AsSpan(outOffset, length)));
        cachedInputShape = input.Shape;
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        Shape inputShape = RequireCached(cachedInputShape);
        RequireGradShape(gradOutput, OutputShape(inputShape));
        Tensor gradInput = NewGradInput(inputShape);
        Copy(inputShape, (inOffset, outOffset, length) => gradOutput.Data.AsSpan(outOffset, length).CopyTo(gradInput.Data.AsSpan(inOffset, length)));
        return gradInput;
    }

    /// <summary>Calls <paramref name="copy"/>(input offset, output offset, length) for each contiguous run of the slice.</summary>
    private void Copy(Shape input, Action<int, int, int> copy)
    {
        int inner = input.SizeFrom(Dim + 1), outer = input.Size / (input[Dim] * inner);
        int run = (End - Start) * inner;
        for (int o = 0; o < outer; o++)
        {
            copy((o * input[Dim] + Start) * inner, o * run, run);
        }
    }
}
