using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// A chain of layers run in order, as <c>torch.nn.Sequential</c>: forward passes each output to
/// the next layer, backward runs the chain in reverse, and parameters are named by position
/// (<c>0.weight</c>, <c>3.bias</c>, nested: <c>1.0.weight</c>).
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "Mirrors torch.nn.Sequential.")]
public sealed class Sequential : Layer, IReadOnlyList<Layer>
{
    private readonly List<Layer> layers = [];

    // folded[i]: the last Forward ran the ReLU at i inside layer i − 1 (a BatchNorm or a convolution), so Backward skips it.
    private bool[] folded = [];

    /// <summary>Creates the chain from <paramref name="layers"/>, in order.</summary>
    public Sequential(params Layer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        for (int i = 0; i < layers.Length; i++)
        {
            if (layers[i] is null)
            {
                throw new ArgumentException($"Sequential: layer {i} of {layers.Length} is null", nameof(layers));
            }
        }
        foreach (Layer layer in layers)
        {
            Add(layer);
        }
    }

    /// <summary>Number of child layers.</summary>
    public int Count => layers.Count;

    /// <summary>The child layer at <paramref name="index"/>.</summary>
    public Layer this[int index] => layers[index];

    /// <summary>Appends <paramref name="layer"/>; its position becomes its parameter-name prefix.</summary>
    public void Add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        layers.Add(layer);
    }

    /// <summary>Each layer's output shape feeds the next; an empty chain is the identity.</summary>
    public override Shape OutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        Shape shape = inputShape;
        foreach (Layer layer in layers)
        {
            shape = layer.OutputShape(shape);
        }
        return shape;
    }

    /// <summary>
    /// Runs every layer in order. A <see cref="BatchNorm"/> or a convolution (<see cref="ConvNd"/>)
    /// followed by a <see cref="ReLU"/> runs as one layer (the normalisation writes the rectified
    /// output in its pass; the convolution rectifies each image right after writing it; their backward
    /// passes gate the gradient); the numbers are exactly those of the two layers run one after the other.
    /// </summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (folded.Length != layers.Count)
        {
            folded = new bool[layers.Count];
        }
        Array.Clear(folded);
        Tensor output = input;
        for (int i = 0; i < layers.Count; i++)
        {
            Layer layer = layers[i];
            long start = LayerTiming.Start();
            if (layer is IFoldsRelu folding && i + 1 < layers.Count && layers[i + 1] is ReLU)
            {
                output = folding.ForwardWithRelu(output);
                folded[++i] = true;
            }
            else
            {
                output = layer.Forward(output);
            }
            LayerTiming.Stop(layer, false, start);
        }
        return output;
    }

    /// <summary>Runs every layer's backward in reverse order.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        Tensor grad = gradOutput;
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            grad = BackwardChild(i, grad);
        }
        return grad;
    }

    /// <summary>Backward through every child, but the first child computes no input gradient.</summary>
    public override void BackwardParametersOnly(Tensor gradOutput)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        if (layers.Count == 0)
        {
            return;
        }
        Tensor grad = gradOutput;
        for (int i = layers.Count - 1; i > 0; i--)
        {
            grad = BackwardChild(i, grad);
        }
        long start = LayerTiming.Start();
        layers[0].BackwardParametersOnly(grad);
        LayerTiming.Stop(layers[0], true, start);
    }

    /// <summary>Layer i's backward pass, or the gradient unchanged for a ReLU the last Forward folded into its predecessor.</summary>
    private Tensor BackwardChild(int i, Tensor grad)
    {
        if (i < folded.Length && folded[i])
        {
            return grad;
        }
        long start = LayerTiming.Start();
        Tensor result = layers[i].Backward(grad);
        LayerTiming.Stop(layers[i], true, start);
        return result;
    }

    /// <summary>Sets this chain's mode and every child's.</summary>
    public override void SetTraining(bool training)
    {
        base.SetTraining(training);
        foreach (Layer layer in layers)
        {
            layer.SetTraining(training);
        }
    }

    /// <summary>Sets buffer reuse for this chain and every child.</summary>
    public override void SetReuseBuffers(bool reuse)
    {
        base.SetReuseBuffers(reuse);
        foreach (Layer layer in layers)
        {
            layer.SetReuseBuffers(reuse);
        }
    }

    /// <summary>Every child's parameters, prefixed by the child's position: <c>0.weight</c>, <c>1.0.bias</c>.</summary>
    public override IEnumerable<(string Name, Parameter Parameter)> NamedParameters()
    {
        for (int i = 0; i < layers.Count; i++)
        {
            foreach (var (name, parameter) in layers[i].NamedParameters())
            {
                yield return ($"{i}.{name}", parameter);
            }
        }
    }

    /// <summary>Every child's buffers, prefixed like the parameters: <c>1.running_mean</c>.</summary>
    public override IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        for (int i = 0; i < layers.Count; i++)
        {
            foreach (var (name, buffer) in layers[i].NamedBuffers())
            {
                yield return ($"{i}.{name}", buffer);
            }
        }
    }

    /// <inheritdoc/>
    public IEnumerator<Layer> GetEnumerator() => layers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
