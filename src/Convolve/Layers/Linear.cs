using System.Runtime.CompilerServices;
using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// The fully connected layer <c>output = input·weightᵀ + bias</c>, as <c>torch.nn.Linear</c>.
/// Weight is <c>[out, in]</c> and bias <c>[out]</c>, both initialised from
/// U(−1/√in, 1/√in) as PyTorch does. Every leading dimension of the input is a batch dimension.
/// </summary>
public sealed class Linear : Layer
{
    private Tensor? savedInput;

    /// <summary>Creates the layer and draws its initial weights from <paramref name="random"/> (or <see cref="RandomSource.Global"/>).</summary>
    /// <param name="inFeatures">Size of each input sample (the last input dimension); positive.</param>
    /// <param name="outFeatures">Size of each output sample; positive.</param>
    /// <param name="bias">Whether to learn an additive bias.</param>
    /// <param name="random">The generator for initialisation; <see cref="RandomSource.Global"/> when null.</param>
    public Linear(int inFeatures, int outFeatures, bool bias = true, RandomSource? random = null)
    {
        RequirePositive(inFeatures, nameof(inFeatures));
        RequirePositive(outFeatures, nameof(outFeatures));
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = AddParameter("weight", new Shape(outFeatures, inFeatures));
        Bias = bias ? AddParameter("bias", new Shape(outFeatures)) : null;
        random ??= RandomSource.Global;
        float bound = 1f / MathF.Sqrt(inFeatures);
        Weight.Value.FillUniform(random, -bound, bound);
        Bias?.Value.FillUniform(random, -bound, bound);
    }

    /// <summary>Size of each input sample.</summary>
    public int InFeatures { get; }

    /// <summary>Size of each output sample.</summary>
    public int OutFeatures { get; }

    /// <summary>Shape [out, in].</summary>
    public Parameter Weight { get; }

    /// <summary>Shape [out], or null when the layer was built with <c>bias: false</c>.</summary>
    public Parameter? Bias { get; }

    /// <summary>Shape [*, in] → [*, out].</summary>
    public override Shape OutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Rank == 0 || inputShape[-1] != InFeatures)
        {
            throw new ArgumentException($"{Name}(inFeatures: {InFeatures}) expected input [*, {InFeatures}] but got {inputShape}", "input");
        }
        int[] dimensions = inputShape.ToArray();
        dimensions[^1] = OutFeatures;
        return new Shape(dimensions);
    }

    /// <summary>Shape [*, in] → [*, out]: <c>output = input·weightᵀ + bias</c>.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var output = NewOutput(OutputShape(input.Shape));
        int rows = input.Size / InFeatures;
        if (Bias is not null)
        {
            // Start every row at the bias and let the GEMM accumulate onto it (beta = 1).
            for (int r = 0; r < rows; r++)
            {
                Bias.Value.Span.CopyTo(output.Span.Slice(r * OutFeatures, OutFeatures));
            }
        }
        Gemm.Multiply(false, true, rows, OutFeatures, InFeatures, 1f, input.Span, InFeatures,
            Weight.Value.Span, InFeatures, Bias is null ? 0f : 1f, output.Span, OutFeatures);
        savedInput = input;
        return output;
    }

    /// <summary>
    /// Shape [*, out] → [*, in]: <c>gradInput = gradOutput·weight</c>; adds
    /// <c>gradOutputᵀ·input</c> to the weight gradient and the column sums of gradOutput to the bias gradient.
    /// </summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        Tensor cached = AccumulateParameterGrads(gradOutput);
        int rows = cached.Size / InFeatures;
        var gradInput = NewGradInput(cached.Shape);
        Gemm.Multiply(false, false, rows, InFeatures, OutFeatures, 1f, gradOutput.Span, OutFeatures,
            Weight.Value.Span, InFeatures, 0f, gradInput.Span, InFeatures);
        return gradInput;
    }

    /// <summary>Adds the weight and bias gradients only: a first layer's input gradient is never used.</summary>
    public override void BackwardParametersOnly(Tensor gradOutput) => AccumulateParameterGrads(gradOutput);

    private Tensor AccumulateParameterGrads(Tensor gradOutput)
    {
        Tensor cached = RequireCached(savedInput);
        RequireGradShape(gradOutput, OutputShape(cached.Shape));
        int rows = cached.Size / InFeatures;
        Gemm.Multiply(true, false, OutFeatures, InFeatures, rows, 1f, gradOutput.Span, OutFeatures,
            cached.Span, InFeatures, 1f, Weight.Grad.Span, InFeatures);
        if (Bias is not null)
        {
            AddColumnSums(gradOutput.Span, rows, Bias.Grad.Span);
        }
        return cached;
    }

    /// <summary>
    /// Adds each column's sum into the bias gradient, the column summed in double and added once
    /// (issue 17: summing into the float gradient row by row loses digits when the terms are large
    /// compared with their sum).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddColumnSums(ReadOnlySpan<float> gradOutput, int rows, Span<float> gradBias)
    {
        int columns = gradBias.Length;
        for (int j = 0; j < columns; j++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++)
            {
                sum += gradOutput[(r * columns) + j];
            }
            gradBias[j] += (float)sum;
        }
    }

    private static void RequirePositive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"Linear: {name} must be positive but got {value}", name);
        }
    }
}
