using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// Joins its inputs along <see cref="Dim"/> (≥ 1), as <c>torch.cat(dim)</c> and ONNX's <c>Concat</c>
/// (SqueezeNet's fire modules, DenseNet's dense blocks, GoogLeNet's inception, ShuffleNet's units).
/// Every other dimension must agree. Backward hands each input its slice of the gradient.
/// </summary>
public sealed class Concat : MergeLayer
{
    private Shape[] cachedInputShapes = [];

    /// <summary>Concatenates along <paramref name="dim"/> (the channels by default).</summary>
    public Concat(int dim = 1)
    {
        if (dim < 1)
        {
            throw new ArgumentException($"Concat: dim must be at least 1 (the batch is never joined) but got {dim}", nameof(dim));
        }
        Dim = dim;
    }

    /// <summary>The dimension joined.</summary>
    public int Dim { get; }

    /// <inheritdoc/>
    public override Shape OutputShape(IReadOnlyList<Shape> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (inputShapes.Count == 0 || inputShapes[0].Rank <= Dim)
        {
            throw InputError($"needs at least one input of rank above {Dim} but got {string.Join(", ", inputShapes)}");
        }
        int[] output = inputShapes[0].ToArray();
        for (int i = 1; i < inputShapes.Count; i++)
        {
            Shape s = inputShapes[i];
            bool fits = s.Rank == output.Length && Enumerable.Range(0, s.Rank).All(d => d == Dim || s[d] == output[d]);
            if (!fits)
            {
                throw InputError($"inputs {string.Join(" and ", inputShapes)} must agree in every dimension but {Dim}");
            }
            output[Dim] += s[Dim];
        }
        return new Shape(output);
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Shape[] shapes = [.. inputs.Select(t => t.Shape)];
        Tensor output = NewOutput(OutputShape(shapes), overwritten: true);
        Walk(shapes, output.Shape, (i, from, to, length) => inputs[i].Data.AsSpan(from, length).CopyTo(output.Data.AsSpan(to, length)));
        cachedInputShapes = shapes;
        return output;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> BackwardAll(Tensor gradOutput)
    {
        if (cachedInputShapes.Length == 0)
        {
            RequireCached<Shape>(null);
        }
        RequireGradShape(gradOutput, OutputShape(cachedInputShapes));
        // New tensors: a graph may hold several of them at once, which one reused buffer per layer could not.
        Tensor[] grads = [.. cachedInputShapes.Select(s => new Tensor(s))];
        Walk(cachedInputShapes, gradOutput.Shape, (i, from, to, length) => gradOutput.Data.AsSpan(to, length).CopyTo(grads[i].Data.AsSpan(from, length)));
        return grads;
    }

    /// <summary>Calls <paramref name="copy"/>(input, input offset, output offset, length) for each contiguous run.</summary>
    private void Walk(Shape[] inputs, Shape output, Action<int, int, int, int> copy)
    {
        int inner = output.SizeFrom(Dim + 1), outer = output.Size / (output[Dim] * inner);
        for (int o = 0; o < outer; o++)
        {
            int at = o * output[Dim] * inner;
            for (int i = 0; i < inputs.Length; i++)
            {
                int run = inputs[i][Dim] * inner;
                copy(i, o * run, at, run);
                at += run;
            }
        }
    }
}
