using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Inference;

/// <summary>A max pooling, with the layer's own kernel, into buffers (output and switches) kept by the step.</summary>
internal sealed class MaxPoolStep : PlanStep
{
    private readonly Window3 window;
    private readonly int planes;
    private readonly Tensor output;
    private readonly int[] switches;

    public MaxPoolStep(MaxPoolNd layer, Shape inputShape)
        : base(layer.Name, layer.OutputShape(inputShape))
    {
        window = layer.WindowFor(inputShape);
        planes = inputShape[0] * inputShape[1];
        output = new Tensor(OutputShape);
        switches = new int[output.Size];
    }

    /// <inheritdoc/>
    public override Tensor Run(Tensor input)
    {
        int inPlane = window.InputPlane, outPlane = window.OutputPlane;
        Parallelism.For(planes, (long)inPlane * PoolingWorkPerElement, (first, end) => PoolingMax.Forward(
            input.Data.AsSpan(first * inPlane, (end - first) * inPlane), output.Data.AsSpan(first * outPlane, (end - first) * outPlane),
            switches.AsSpan(first * outPlane, (end - first) * outPlane), end - first, window));
        return output;
    }

    /// <summary>The work units per input element the pooling layers count for the split.</summary>
    private const int PoolingWorkPerElement = 8;
}
