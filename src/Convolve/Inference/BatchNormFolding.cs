using Convolve.Layers;

namespace Convolve.Inference;

/// <summary>
/// Folds an evaluation-mode <see cref="BatchNorm"/> into the convolution before it. With
/// <c>s_o = γ_o / √(σ²_o + ε)</c> the two layers compute
/// <c>s_o·(Σ w·x + b_o − μ_o) + β_o = Σ (s_o·w)·x + (s_o·(b_o − μ_o) + β_o)</c>, one convolution with
/// weights <c>s_o·w</c> and bias <c>s_o·(b_o − μ_o) + β_o</c> (computed in double, rounded once). Only the
/// running statistics, weight, bias and ε are read.
/// </summary>
internal static class BatchNormFolding
{
    /// <summary>True when <paramref name="norm"/> normalises with running statistics over <paramref name="channels"/> channels.</summary>
    public static bool CanFold(BatchNorm norm, int channels) =>
        norm.TrackRunningStats && norm.RunningMean is not null && norm.RunningVar is not null && norm.NumFeatures == channels;

    /// <summary>The convolution's weights and bias with <paramref name="norm"/> folded in (or copied, when it is null).</summary>
    /// <param name="convolution">Weight [C_out, C_in/groups, k...], bias [C_out] or none.</param>
    /// <param name="norm">A batch normalisation over C_out channels, or null.</param>
    public static (float[] Weight, float[]? Bias) Fold(ConvNd convolution, BatchNorm? norm)
    {
        float[] weight = (float[])convolution.Weight.Value.Data.Clone();
        float[]? bias = (float[]?)convolution.Bias?.Value.Data.Clone();
        if (norm is null)
        {
            return (weight, bias);
        }
        int channels = convolution.OutChannels, perChannel = weight.Length / channels;
        bias = new float[channels];
        for (int o = 0; o < channels; o++)
        {
            double scale = (norm.Weight?.Value.Data[o] ?? 1f) / Math.Sqrt(norm.RunningVar!.Data[o] + norm.Eps);
            double shift = norm.Bias?.Value.Data[o] ?? 0f;
            double convolutionBias = convolution.Bias?.Value.Data[o] ?? 0f;
            bias[o] = (float)((scale * (convolutionBias - norm.RunningMean!.Data[o])) + shift);
            Span<float> row = weight.AsSpan(o * perChannel, perChannel);
            for (int i = 0; i < row.Length; i++)
            {
                row[i] = (float)(scale * row[i]);
            }
        }
        return (weight, bias);
    }
}
