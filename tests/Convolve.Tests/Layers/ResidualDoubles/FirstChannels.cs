using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Tests.Layers.ResidualDoubles;

/// <summary>Test-only layer whose output has <c>count</c> channels (zeros), to give a path a different output shape; it counts its Forward calls.</summary>
public sealed class FirstChannels(int count) : Layer
{
    public int Calls { get; private set; }

    public override Shape OutputShape(Shape inputShape)
    {
        var dims = inputShape.ToArray();
        dims[1] = count;
        return new Shape(dims);
    }

    public override Tensor Forward(Tensor input)
    {
        Calls++;
        return new Tensor(OutputShape(input.Shape));
    }

    public override Tensor Backward(Tensor gradOutput) => throw new NotSupportedException("shape-only test layer");
}
