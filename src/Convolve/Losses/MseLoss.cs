using System.Runtime.CompilerServices;
using Convolve.Tensors;

namespace Convolve.Losses;

/// <summary>
/// Mean squared error <c>Σ (input − target)²</c>, averaged over every element or summed, as
/// <c>torch.nn.MSELoss</c>; accumulated in double.
/// </summary>
public sealed class MseLoss
{
    private Tensor? difference;

    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">Mean over every element (default) or sum.</param>
    public MseLoss(Reduction reduction = Reduction.Mean)
    {
        if (reduction is not (Reduction.Mean or Reduction.Sum))
        {
            throw new ArgumentException($"MseLoss: reduction must be Mean or Sum but got {reduction}", nameof(reduction));
        }
        Reduction = reduction;
    }

    /// <summary>How the per-element losses are combined.</summary>
    public Reduction Reduction { get; }

    /// <summary>The loss of <paramref name="input"/> against <paramref name="target"/> (same shape; not empty for the mean); caches the difference for <see cref="Backward"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (input.Shape != target.Shape)
        {
            throw new ArgumentException($"MseLoss: input {input.Shape} and target {target.Shape} must have the same shape", nameof(target));
        }
        if (input.Size == 0 && Reduction == Reduction.Mean)
        {
            throw new ArgumentException($"MseLoss: input {input.Shape} is empty, so its mean is undefined", nameof(input));
        }
        var diff = new Tensor(input.Shape);
        double total = 0;
        for (int i = 0; i < input.Size; i++)
        {
            double d = (double)input.Data[i] - target.Data[i];
            diff.Data[i] = (float)d;
            total += d * d;
        }
        difference = diff;
        return Reduction == Reduction.Mean ? total / input.Size : total;
    }

    /// <summary>∂loss/∂input for the last <see cref="Forward"/>: <c>2·(input − target)</c>, divided by the element count for the mean.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor Backward()
    {
        Tensor diff = difference ?? throw new InvalidOperationException("MseLoss.Backward needs a preceding Forward");
        double scale = Reduction == Reduction.Mean ? 2.0 / diff.Size : 2.0;
        var gradInput = new Tensor(diff.Shape);
        for (int i = 0; i < diff.Size; i++)
        {
            gradInput.Data[i] = (float)(diff.Data[i] * scale);
        }
        return gradInput;
    }
}
