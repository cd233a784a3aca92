using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Tests.Layers.ResidualDoubles;

/// <summary>Test-only layer: <c>y[n, c, …] = x[n, c, …]·weight[c]</c>, a parameter with an obvious gradient.</summary>
public sealed class ChannelScale : Layer
{
    private Tensor? cachedInput;

    public ChannelScale(params float[] weight)
    {
        Weight = AddParameter("weight", new Shape(weight.Length));
        Weight.Load(weight);
    }

    public Parameter Weight { get; }

    public override Shape OutputShape(Shape inputShape) =>
        inputShape.Rank >= 2 && inputShape[1] == Weight.Value.Size ? inputShape : throw InputError($"expected {Weight.Value.Size} channels but got {inputShape}");

    public override Tensor Forward(Tensor input)
    {
        var output = new Tensor(OutputShape(input.Shape));
        ForEach(input.Shape, (i, c) => output.Data[i] = input.Data[i] * Weight.Value.Data[c]);
        cachedInput = input;
        return output;
    }

    public override Tensor Backward(Tensor gradOutput)
    {
        var input = RequireCached(cachedInput);
        var gradInput = new Tensor(input.Shape);
        ForEach(input.Shape, (i, c) =>
        {
            gradInput.Data[i] = gradOutput.Data[i] * Weight.Value.Data[c];
            Weight.Grad.Data[c] += gradOutput.Data[i] * input.Data[i];
        });
        return gradInput;
    }

    private static void ForEach(Shape shape, Action<int, int> visit)
    {
        int channels = shape[1], spatial = shape.SizeFrom(2);
        for (int i = 0; i < shape.Size; i++)
        {
            visit(i, i / spatial % channels);
        }
    }
}
