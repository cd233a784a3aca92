using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Visualization;

/// <summary>
/// Takes a signal at the chosen layer of a <see cref="ForwardTrace"/> back to the input by one of the
/// <see cref="ProjectionMethod"/>s. Layers other than convolutions, rectifiers and max pooling go
/// back by their own <see cref="Layer.Backward"/> after the traced forward pass, so a trace must be
/// projected before the model runs forward again, and (as a PyTorch backward does) parameter
/// gradients of linear and normalisation layers are added to.
/// </summary>
public sealed class Projector(ProjectionMethod method)
{
    private readonly Dictionary<(ConvNd, Shape), ConvTransposeNd> adjoints = [];

    /// <summary>How the signal goes back through rectifiers and pooling.</summary>
    public ProjectionMethod Method { get; } = method;

    /// <summary>The signal at the input, Shape of <see cref="ForwardTrace.Input"/>, for <paramref name="signal"/> at the traced layer's output.</summary>
    /// <exception cref="ArgumentException">The signal's shape is not the traced output's.</exception>
    public Tensor Project(ForwardTrace trace, Tensor signal)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(signal);
        if (signal.Shape != trace.Output.Shape)
        {
            throw new ArgumentException($"the signal has shape {signal.Shape} but the traced layer's output has {trace.Output.Shape}", nameof(signal));
        }
        return trace.Reverse(signal, (layer, s) => Step(trace, layer, s), Add, (merge, s) => Merge(trace, merge, s));
    }

    /// <summary>
    /// Back through a graph's merge layer by its own backward: a Concat hands each input its slice of
    /// the signal, an Add each input the whole signal. The deconvnet takes a Mul's gate (the broadcast
    /// operand, as squeeze-excitation's [N, C, 1, 1]; else the second) as a recorded constant: the
    /// gated input gets the signal times the gate and the gate's branch nothing, as a max pooling's
    /// switches are constants to it; the gradient and guided backpropagation follow both inputs.
    /// </summary>
    private IReadOnlyList<Tensor> Merge(ForwardTrace trace, MergeLayer merge, Tensor signal)
    {
        IReadOnlyList<Tensor> grads = merge.BackwardAll(signal);
        IReadOnlyList<Tensor> inputs = trace.InputsOf(merge);
        if (Method != ProjectionMethod.Deconvnet || merge is not Mul || inputs.Count != 2)
        {
            return grads;
        }
        int gate = inputs[0].Size < inputs[1].Size ? 0 : 1;
        return gate == 0 ? [new Tensor(inputs[0].Shape), grads[1]] : [grads[0], new Tensor(inputs[1].Shape)];
    }

    private Tensor Step(ForwardTrace trace, Layer layer, Tensor signal)
    {
        var (input, output, switches) = trace.Of(layer);
        return layer switch
        {
            ReLU => Rectify(signal, input),
            ConvNd convolution => Adjoint(convolution, input.Shape, output.Shape).Forward(signal),
            ConvTransposeNd => throw new NotSupportedException($"projecting back through {layer.Name} is not supported"),
            MaxPoolNd pool when Method == ProjectionMethod.Deconvnet && !pool.CeilMode && pool.Geometry.Dilation.All(d => d == 1) =>
                Unpool(pool, signal, switches!, input.Shape),
            _ => layer.Backward(signal),
        };
    }

    /// <summary>The three rules at a ReLU whose forward input was <paramref name="input"/>.</summary>
    private Tensor Rectify(Tensor signal, Tensor input)
    {
        var result = new Tensor(signal.Shape);
        for (int i = 0; i < result.Size; i++)
        {
            float s = signal.Data[i];
            bool open = input.Data[i] > 0f;
            result.Data[i] = Method switch
            {
                ProjectionMethod.Gradient => open ? s : 0f,
                ProjectionMethod.Deconvnet => Math.Max(s, 0f),
                _ => open && s > 0f ? s : 0f,
            };
        }
        return result;
    }

    private ConvTransposeNd Adjoint(ConvNd convolution, Shape inputShape, Shape outputShape)
    {
        if (!adjoints.TryGetValue((convolution, inputShape), out ConvTransposeNd? adjoint))
        {
            adjoint = AdjointConvolution.For(convolution, inputShape, outputShape);
            adjoints[(convolution, inputShape)] = adjoint;
        }
        return adjoint;
    }

    /// <summary>Max unpooling: each value goes back to the position its switch recorded.</summary>
    private static Tensor Unpool(MaxPoolNd pool, Tensor signal, IndexTensor switches, Shape inputShape)
    {
        var g = pool.Geometry;
        MaxUnpoolNd unpool = g.SpatialDims switch
        {
            1 => new MaxUnpool1d(g.Kernel, g.Stride, g.PadBefore),
            2 => new MaxUnpool2d(g.Kernel, g.Stride, g.PadBefore),
            _ => new MaxUnpool3d(g.Kernel, g.Stride, g.PadBefore),
        };
        return unpool.Forward(signal, switches, inputShape.ToArray());
    }

    private static Tensor Add(Tensor a, Tensor b)
    {
        var sum = new Tensor(a.Shape);
        for (int i = 0; i < sum.Size; i++)
        {
            sum.Data[i] = a.Data[i] + b.Data[i];
        }
        return sum;
    }
}
