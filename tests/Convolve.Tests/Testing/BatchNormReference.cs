namespace Convolve.Tests.Testing;

/// <summary>The float64 result of <see cref="ReferenceOps.BatchNorm"/>.</summary>
/// <param name="Output">y, in the input's layout.</param>
/// <param name="Mean">The per-channel mean used to normalise.</param>
/// <param name="Variance">The per-channel variance used to normalise (biased when from the batch).</param>
/// <param name="RunningMean">The running mean after the step (null when not tracked).</param>
/// <param name="RunningVar">The running variance after the step (null when not tracked).</param>
public sealed record BatchNormReference(double[] Output, double[] Mean, double[] Variance, double[]? RunningMean, double[]? RunningVar);
