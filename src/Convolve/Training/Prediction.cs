namespace Convolve.Training;

/// <summary>The most probable classes for one image, most probable first (ties: lower class first).</summary>
/// <param name="Top">The top-k classes with their softmax probabilities.</param>
public sealed record Prediction(IReadOnlyList<ClassProbability> Top)
{
    /// <summary>The most probable class.</summary>
    public int PredictedClass => Top[0].ClassIndex;
}
