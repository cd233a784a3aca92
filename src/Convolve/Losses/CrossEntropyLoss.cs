using System.Runtime.CompilerServices;
using Convolve.Tensors;

namespace Convolve.Losses;

/// <summary>
/// Cross-entropy of class logits against target class indices, as <c>torch.nn.CrossEntropyLoss</c>:
/// a fused log-softmax (log-sum-exp in double, so any finite logits are safe) and negative
/// log-likelihood. With label smoothing ε the target distribution is <c>(1 − ε)·onehot + ε/C</c>,
/// i.e. <c>loss = (1 − ε)·nll + ε·mean_c(−log p_c)</c>, PyTorch's definition. With
/// <see cref="Reduction.None"/> the losses stay one per sample (<see cref="ForwardPerSample"/>) and
/// backward takes one upstream gradient per sample (<see cref="Backward(Tensor)"/>).
/// </summary>
public sealed class CrossEntropyLoss
{
    private Tensor? probabilities;
    private int[]? savedTargets;

    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">Mean over the batch (default), sum, or none (one loss per sample).</param>
    /// <param name="labelSmoothing">ε in [0, 1]; 0 (default) is plain cross-entropy.</param>
    public CrossEntropyLoss(Reduction reduction = Reduction.Mean, float labelSmoothing = 0f)
    {
        if (!Enum.IsDefined(reduction))
        {
            throw new ArgumentException($"CrossEntropyLoss: reduction must be Mean, Sum or None but got {(int)reduction}", nameof(reduction));
        }
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
        {
            throw new ArgumentException($"CrossEntropyLoss: labelSmoothing must be in [0, 1] but got {labelSmoothing}", nameof(labelSmoothing));
        }
        Reduction = reduction;
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>How the per-sample losses are combined.</summary>
    public Reduction Reduction { get; }

    /// <summary>The label-smoothing ε.</summary>
    public float LabelSmoothing { get; }

    /// <summary>The loss of <paramref name="logits"/> against <paramref name="targets"/>; caches the softmax for <see cref="Backward()"/>.</summary>
    /// <param name="logits">Shape [N, C]: unnormalised class scores (N ≥ 1 for the mean).</param>
    /// <param name="targets">N class indices, each in [0, C).</param>
    /// <exception cref="InvalidOperationException">The reduction is <see cref="Reduction.None"/>: use <see cref="ForwardPerSample"/>.</exception>
    public double Forward(Tensor logits, ReadOnlySpan<int> targets)
    {
        if (Reduction == Reduction.None)
        {
            throw new InvalidOperationException("CrossEntropyLoss with reduction None gives one loss per sample: call ForwardPerSample");
        }
        double[] losses = Compute(logits, targets);
        double total = 0;
        foreach (double loss in losses)
        {
            total += loss;
        }
        return Reduction == Reduction.Mean ? total / losses.Length : total;
    }

    /// <summary>Shape [N]: each sample's loss (reduction <see cref="Reduction.None"/>); caches the softmax for <see cref="Backward(Tensor)"/>.</summary>
    /// <param name="logits">Shape [N, C]: unnormalised class scores (N ≥ 0).</param>
    /// <param name="targets">N class indices, each in [0, C).</param>
    /// <exception cref="InvalidOperationException">The loss was built with another reduction.</exception>
    public Tensor ForwardPerSample(Tensor logits, ReadOnlySpan<int> targets)
    {
        if (Reduction != Reduction.None)
        {
            throw new InvalidOperationException($"CrossEntropyLoss.ForwardPerSample needs reduction None but this loss has {Reduction}: use Forward, or build it with Reduction.None");
        }
        double[] losses = Compute(logits, targets);
        return new Tensor(new Shape(losses.Length), Array.ConvertAll(losses, loss => (float)loss));
    }

    /// <summary>
    /// Shape [N, C]: ∂loss/∂logits for the last <see cref="Forward"/>, <c>(softmax − smoothed one-hot)</c>,
    /// divided by N for the mean.
    /// </summary>
    /// <exception cref="InvalidOperationException">No forward yet, or the reduction is <see cref="Reduction.None"/> (use <see cref="Backward(Tensor)"/>).</exception>
    public Tensor Backward()
    {
        if (Reduction == Reduction.None)
        {
            throw new InvalidOperationException("CrossEntropyLoss with reduction None needs one upstream gradient per sample: call Backward(gradOutput)");
        }
        int n = RequireForward().Shape[0];
        double scale = Reduction == Reduction.Mean ? 1.0 / n : 1.0;
        return GradLogits(_ => scale);
    }

    /// <summary>
    /// Shape [N, C]: ∂(Σ_i gradOutput_i·loss_i)/∂logits for the last <see cref="ForwardPerSample"/>,
    /// row i being <c>gradOutput_i·(softmax − smoothed one-hot)</c>.
    /// </summary>
    /// <param name="gradOutput">Shape [N]: the upstream gradient of each sample's loss.</param>
    /// <exception cref="InvalidOperationException">No forward yet, or the reduction is not <see cref="Reduction.None"/>.</exception>
    public Tensor Backward(Tensor gradOutput)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        if (Reduction != Reduction.None)
        {
            throw new InvalidOperationException($"CrossEntropyLoss.Backward(gradOutput) needs reduction None but this loss has {Reduction}: call Backward()");
        }
        int n = RequireForward().Shape[0];
        if (gradOutput.Shape != new Shape(n))
        {
            throw new ArgumentException($"CrossEntropyLoss.Backward expected gradOutput [{n}] (one per sample) but got {gradOutput.Shape}", nameof(gradOutput));
        }
        return GradLogits(i => gradOutput.Data[i]);
    }

    /// <summary>Each sample's loss in double; caches the softmax and the targets.</summary>
    private double[] Compute(Tensor logits, ReadOnlySpan<int> targets)
    {
        Validate(logits, targets, Reduction);
        int n = logits.Shape[0], c = logits.Shape[1];
        var softmax = new Tensor(logits.Shape);
        var losses = new double[n];
        for (int i = 0; i < n; i++)
        {
            losses[i] = RowLoss(logits.Span.Slice(i * c, c), targets[i], softmax.Span.Slice(i * c, c));
        }
        probabilities = softmax;
        savedTargets = targets.ToArray();
        return losses;
    }

    private Tensor RequireForward() =>
        probabilities ?? throw new InvalidOperationException("CrossEntropyLoss.Backward needs a preceding Forward");

    /// <summary>Row i: <c>scale(i)·(softmax − smoothed one-hot)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Tensor GradLogits(Func<int, double> scale)
    {
        Tensor softmax = RequireForward();
        int[] targets = savedTargets!;
        int n = softmax.Shape[0], c = softmax.Shape[1];
        double uniform = (double)LabelSmoothing / c, hit = 1.0 - LabelSmoothing;
        var gradInput = new Tensor(softmax.Shape);
        for (int i = 0; i < n; i++)
        {
            double rowScale = scale(i);
            for (int j = 0; j < c; j++)
            {
                double target = uniform + (j == targets[i] ? hit : 0.0);
                gradInput.Data[i * c + j] = (float)((softmax.Data[i * c + j] - target) * rowScale);
            }
        }
        return gradInput;
    }

    /// <summary>One sample's loss from its logits; writes its softmax. All arithmetic in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double RowLoss(ReadOnlySpan<float> logits, int target, Span<float> softmax)
    {
        double max = double.NegativeInfinity, mean = 0;
        foreach (float x in logits)
        {
            max = Math.Max(max, x);
            mean += x;
        }
        mean /= logits.Length;
        double sumExp = 0;
        foreach (float x in logits)
        {
            sumExp += Math.Exp(x - max);
        }
        double logSumExp = max + Math.Log(sumExp);
        for (int j = 0; j < logits.Length; j++)
        {
            softmax[j] = (float)Math.Exp(logits[j] - logSumExp);
        }
        double nll = logSumExp - logits[target];
        double smooth = logSumExp - mean;
        return (1.0 - LabelSmoothing) * nll + LabelSmoothing * smooth;
    }

    private static void Validate(Tensor logits, ReadOnlySpan<int> targets, Reduction reduction)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank != 2 || logits.Shape[1] == 0)
        {
            throw new ArgumentException($"CrossEntropyLoss: expected logits [N, C] with C ≥ 1 but got {logits.Shape}", nameof(logits));
        }
        int n = logits.Shape[0], c = logits.Shape[1];
        if (n == 0 && reduction == Reduction.Mean)
        {
            throw new ArgumentException($"CrossEntropyLoss: logits {logits.Shape} have an empty batch, so the mean is undefined", nameof(logits));
        }
        if (targets.Length != n)
        {
            throw new ArgumentException($"CrossEntropyLoss: logits {logits.Shape} have batch {n} but targets has {targets.Length} entries", nameof(targets));
        }
        for (int i = 0; i < n; i++)
        {
            if ((uint)targets[i] >= (uint)c)
            {
                throw new ArgumentException($"CrossEntropyLoss: target at index {i} is {targets[i]}, outside the classes [0, {c})", nameof(targets));
            }
        }
    }
}
