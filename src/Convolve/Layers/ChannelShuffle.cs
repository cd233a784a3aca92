using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// ShuffleNet's channel shuffle, as <c>torch.nn.ChannelShuffle(groups)</c>: the channels of
/// [N, C, spatial...], seen as [groups, C/groups], are transposed, so output channel
/// <c>j·groups + g</c> is input channel <c>g·(C/groups) + j</c> (ONNX writes it as Reshape, Transpose,
/// Reshape). Backward applies the inverse permutation.
/// </summary>
public sealed class ChannelShuffle : Layer
{
    private Shape? cachedInputShape;

    /// <summary>Shuffles across <paramref name="groups"/> groups (≥ 1).</summary>
    public ChannelShuffle(int groups)
    {
        if (groups < 1)
        {
            throw new ArgumentException($"ChannelShuffle: groups must be at least 1 but got {groups}", nameof(groups));
        }
        Groups = groups;
    }

    /// <summary>The number of channel groups.</summary>
    public int Groups { get; }

    /// <inheritdoc/>
    public override Shape OutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Rank < 2 || inputShape[1] % Groups != 0)
        {
            throw InputError($"{Groups} groups must divide the channels of an input [N, C, ...] but got {inputShape}");
        }
        return inputShape;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor output = NewOutput(OutputShape(input.Shape), overwritten: true);
        Permute(input.Shape, (from, to, plane) => input.Data.AsSpan(from, plane).CopyTo(output.Data.AsSpan(to, plane)));
        cachedInputShape = input.Shape;
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        Shape inputShape = RequireCached(cachedInputShape);
        RequireGradShape(gradOutput, inputShape);
        Tensor gradInput = NewGradInput(inputShape, overwritten: true);
        Permute(inputShape, (from, to, plane) => gradOutput.Data.AsSpan(to, plane).CopyTo(gradInput.Data.AsSpan(from, plane)));
        return gradInput;
    }

    /// <summary>Calls <paramref name="move"/>(input offset, output offset, plane size) for every channel plane.</summary>
    private void Permute(Shape shape, Action<int, int, int> move)
    {
        int channels = shape[1], plane = shape.SizeFrom(2), perGroup = channels / Groups;
        for (int n = 0; n < shape[0]; n++)
        {
            for (int g = 0; g < Groups; g++)
            {
                for (int j = 0; j < perGroup; j++)
                {
                    move((n * channels + g * perGroup + j) * plane, (n * channels + j * Groups + g) * plane, plane);
                }
            }
        }
    }
}
