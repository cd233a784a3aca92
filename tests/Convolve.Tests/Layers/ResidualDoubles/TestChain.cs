using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Tests.Layers.ResidualDoubles;

/// <summary>Test-only container that runs its children in order and names them "0", "1", … like nn.Sequential.</summary>
public sealed class TestChain(params Layer[] children) : Layer
{
    public override Shape OutputShape(Shape inputShape) => children.Aggregate(inputShape, (shape, child) => child.OutputShape(shape));

    public override Tensor Forward(Tensor input) => children.Aggregate(input, (x, child) => child.Forward(x));

    public override Tensor Backward(Tensor gradOutput) => children.Reverse().Aggregate(gradOutput, (g, child) => child.Backward(g));

    public override void SetTraining(bool training)
    {
        base.SetTraining(training);
        foreach (var child in children)
        {
            child.SetTraining(training);
        }
    }

    public override IEnumerable<(string Name, Parameter Parameter)> NamedParameters() =>
        children.SelectMany((child, i) => child.NamedParameters().Select(p => ($"{i}.{p.Name}", p.Parameter)));

    public override IEnumerable<(string Name, Tensor Buffer)> NamedBuffers() =>
        children.SelectMany((child, i) => child.NamedBuffers().Select(b => ($"{i}.{b.Name}", b.Buffer)));
}
