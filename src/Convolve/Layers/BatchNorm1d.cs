namespace Convolve.Layers;

/// <summary>
/// <c>torch.nn.BatchNorm1d</c>: batch normalisation of Shape [N, C] or [N, C, L], each channel over
/// its N (or N·L) values. The mechanics are in <see cref="BatchNorm"/>.
/// </summary>
public sealed class BatchNorm1d : BatchNorm
{
    /// <summary>Creates the layer with PyTorch's defaults: weight ones, bias zeros, running mean 0 and variance 1.</summary>
    /// <param name="numFeatures">C, the number of channels.</param>
    /// <param name="eps">Added to the variance before the square root; positive and finite.</param>
    /// <param name="momentum">Weight of the new batch in the running statistics, in [0, 1].</param>
    /// <param name="affine">Learn a per-channel weight and bias.</param>
    /// <param name="trackRunningStats">Keep running statistics for evaluation mode.</param>
    public BatchNorm1d(int numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool trackRunningStats = true)
        : base(numFeatures, eps, momentum, affine, trackRunningStats)
    {
    }

    /// <inheritdoc/>
    protected override string ExpectedLayout => $"[N, {NumFeatures}] or [N, {NumFeatures}, L]";

    /// <inheritdoc/>
    protected override bool IsSupportedRank(int rank) => rank is 2 or 3;
}
