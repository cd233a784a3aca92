using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Inference;

/// <summary>A max pooling, with the layer's own kernel, into buffers (output and switches) kept by the step.</summary>
internal sealed class MaxPoolStep : PlanStep
{
    private readonly Window3 window;
    private readonly int planes;
    private Tensor? output;
    private int[] switches = [];

    public MaxPoolStep(MaxPoolNd layer, Shape inputShape)
        : base(layer.Name, layer.OutputShape(inputShape))
    {
        window = layer.WindowFor(inputShape);
        planes = inputShape[0] * inputShape[1];
    }

    /// <summary>The pooling window, for a <see cref="BlockedChainStep"/> that takes the step in.</summary>
    public Window3 Window => window;

    /// <summary>Whether the pooling is 2-d (depth 1), the only kind a blocked chain takes in.</summary>
    public bool IsPlanar => window.InD == 1 && window.KD == 1 && window.OutD == 1;

    /// <inheritdoc/>
    public override Tensor Run(Tensor input)
    {
        if (output is null)
        {
            output = new Tensor(OutputShape);
            switches = new int[output.Size];
        }
        Tensor result = output;
        int inPlane = window.InputPlane, outPlane = window.OutputPlane;
        Parallelism.For(planes, (long)inPlane * PoolingWorkPerElement, (first, end) => PoolingMax.Forward(
            input.Data.AsSpan(first * inPlane, (end - first) * inPlane), result.Data.AsSpan(first * outPlane, (end - first) * outPlane),
            switches.AsSpan(first * outPlane, (end - first) * outPlane), end - first, window));
        return result;
    }

    /// <summary>The work units per input element the pooling layers count for the split.</summary>
    private const int PoolingWorkPerElement = 8;
}
