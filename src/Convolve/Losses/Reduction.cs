namespace Convolve.Losses;

/// <summary>How per-element losses are combined into one number, as PyTorch's <c>reduction</c> argument.</summary>
public enum Reduction
{
    /// <summary>The average over the batch (cross-entropy) or over every element (MSE).</summary>
    Mean,

    /// <summary>The sum.</summary>
    Sum,

    /// <summary>No reduction: one loss per sample (cross-entropy's <c>ForwardPerSample</c>), as PyTorch's <c>reduction='none'</c>.</summary>
    None,
}
