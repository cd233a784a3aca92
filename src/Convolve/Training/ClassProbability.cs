namespace Convolve.Training;

/// <summary>One class and its softmax probability.</summary>
/// <param name="ClassIndex">The class, in [0, classes).</param>
/// <param name="Probability">Its probability, computed in double.</param>
public readonly record struct ClassProbability(int ClassIndex, double Probability);
