using System.Runtime.CompilerServices;
using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// Inverted dropout, as <c>torch.nn.Dropout</c>: in training mode each element is zeroed with
/// probability <c>p</c> and the survivors are scaled by <c>1/(1 − p)</c> so the expected value is
/// unchanged; in evaluation mode it is the identity. Backward applies the same mask.
/// </summary>
public sealed class Dropout : Layer
{
    private readonly RandomSource? random;
    private Tensor? mask;
    private Shape? evaluatedShape;
    private readonly ReusedBuffers<Tensor> keptMasks = new(shape => new Tensor(shape), tensor => tensor.Shape);

    /// <summary>Creates the layer.</summary>
    /// <param name="p">Probability of zeroing an element, in [0, 1].</param>
    /// <param name="random">The generator for masks; <see cref="RandomSource.Global"/> (read at each forward) when null.</param>
    public Dropout(float p = 0.5f, RandomSource? random = null)
    {
        if (!(p >= 0f && p <= 1f))
        {
            throw new ArgumentException($"Dropout: probability p must be in [0, 1] but got {p}", nameof(p));
        }
        P = p;
        this.random = random;
    }

    /// <summary>Probability of zeroing an element.</summary>
    public float P { get; }

    /// <inheritdoc/>
    public override void SetReuseBuffers(bool reuse)
    {
        base.SetReuseBuffers(reuse);
        if (!reuse)
        {
            keptMasks.Clear();
        }
    }

    /// <summary>The same shape.</summary>
    public override Shape OutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        return inputShape;
    }

    /// <summary>Shape [*] → [*]: masks and scales in training mode; returns the input itself in evaluation mode.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!IsTraining)
        {
            mask = null;
            evaluatedShape = input.Shape;
            return input;
        }
        evaluatedShape = null;
        mask = DrawMask(input.Shape);
        var output = NewOutput(input.Shape);
        Elementwise.Map(new ElementwiseMultiply(), input.Span, mask.Span, output.Span);
        return output;
    }

    /// <summary>
    /// Shape [*] → [*]: <c>gradInput = gradOutput ⊙ mask</c> with the mask of the last forward; after
    /// an evaluation-mode forward (the identity) it returns gradOutput itself, as PyTorch's backward does.
    /// </summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        if (evaluatedShape is not null)
        {
            RequireGradShape(gradOutput, evaluatedShape);
            return gradOutput;
        }
        Tensor cached = RequireCached(mask);
        RequireGradShape(gradOutput, cached.Shape);
        var gradInput = NewGradInput(cached.Shape);
        Elementwise.Map(new ElementwiseMultiply(), gradOutput.Span, cached.Span, gradInput.Span);
        return gradInput;
    }

    /// <summary>Each element is kept with probability 1 − p and then carries the scale 1/(1 − p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Tensor DrawMask(Shape shape)
    {
        RandomSource source = random ?? RandomSource.Global;
        // With p = 1 nothing survives, so the (infinite) scale is never used.
        float scale = P < 1f ? 1f / (1f - P) : 0f;
        // Every element is drawn, so the previous mask can be overwritten when buffers are reused.
        var result = ReuseBuffers ? keptMasks.Get(shape, out _) : new Tensor(shape);
        Span<float> values = result.Span;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = source.NextDouble() >= P ? scale : 0f;
        }
        return result;
    }
}
