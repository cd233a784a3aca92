using Convolve.Tensors;

namespace Convolve.Tests.Testing;

/// <summary>Float64 batch normalisation straight from the definition (Ioffe &amp; Szegedy 2015, PyTorch's docs).</summary>
public static partial class ReferenceOps
{
    /// <summary>
    /// Batch normalisation of Shape [N, C, *]. With <paramref name="batchStatistics"/> each channel is
    /// normalised by its own mean and biased variance, and tracked running statistics move towards the
    /// mean and the unbiased variance by <paramref name="momentum"/>; otherwise the running statistics
    /// normalise and stay as they are.
    /// </summary>
    public static BatchNormReference BatchNorm(Tensor input, float[]? weight, float[]? bias, float[]? runningMean, float[]? runningVar,
        bool batchStatistics, bool updateRunning, double momentum, double eps)
    {
        int n = input.Shape[0], c = input.Shape[1], s = input.Shape.SizeFrom(2), m = n * s;
        double At(int i, int ch, int j) => input.Data[(i * c + ch) * s + j];
        var mean = new double[c];
        var variance = new double[c];
        double[]? newMean = runningMean?.Select(v => (double)v).ToArray();
        double[]? newVar = runningVar?.Select(v => (double)v).ToArray();
        for (int ch = 0; ch < c; ch++)
        {
            if (!batchStatistics)
            {
                mean[ch] = runningMean![ch];
                variance[ch] = runningVar![ch];
                continue;
            }
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < s; j++)
                {
                    sum += At(i, ch, j);
                }
            }
            mean[ch] = sum / m;
            double squares = 0;
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < s; j++)
                {
                    squares += (At(i, ch, j) - mean[ch]) * (At(i, ch, j) - mean[ch]);
                }
            }
            variance[ch] = squares / m;
            if (updateRunning && newMean is not null && newVar is not null)
            {
                newMean[ch] = (1 - momentum) * newMean[ch] + momentum * mean[ch];
                newVar[ch] = (1 - momentum) * newVar[ch] + momentum * (squares / (m - 1));
            }
        }
        var output = new double[input.Size];
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int j = 0; j < s; j++)
                {
                    double normalized = (At(i, ch, j) - mean[ch]) / Math.Sqrt(variance[ch] + eps);
                    output[(i * c + ch) * s + j] = normalized * (weight?[ch] ?? 1.0) + (bias?[ch] ?? 0.0);
                }
            }
        }
        return new BatchNormReference(output, mean, variance, newMean, newVar);
    }

    /// <summary>
    /// The gradients of batch normalisation, from its Jacobian rather than the closed form: with
    /// batch statistics <c>∂x̂ᵢ/∂xⱼ = invstd·(δᵢⱼ − 1/M − x̂ᵢx̂ⱼ/M)</c> for i, j in the same channel
    /// (from ∂μ/∂xⱼ = 1/M and ∂σ²/∂xⱼ = 2(xⱼ − μ)/M), else <c>invstd·δᵢⱼ</c>; then
    /// <c>gradInputⱼ = Σᵢ gᵢ·γ·∂x̂ᵢ/∂xⱼ</c>, <c>gradWeight = Σ g·x̂</c>, <c>gradBias = Σ g</c>.
    /// </summary>
    public static (double[] GradInput, double[] GradWeight, double[] GradBias) BatchNormBackward(
        Tensor input, Tensor gradOutput, float[]? weight, double[] mean, double[] variance, bool batchStatistics, double eps)
    {
        int n = input.Shape[0], c = input.Shape[1], s = input.Shape.SizeFrom(2), m = n * s;
        var gradInput = new double[input.Size];
        var gradWeight = new double[c];
        var gradBias = new double[c];
        for (int ch = 0; ch < c; ch++)
        {
            double invStd = 1 / Math.Sqrt(variance[ch] + eps), gamma = weight?[ch] ?? 1.0;
            int[] offsets = Enumerable.Range(0, m).Select(k => (k / s * c + ch) * s + k % s).ToArray();
            double[] normalized = offsets.Select(o => (input.Data[o] - mean[ch]) * invStd).ToArray();
            for (int i = 0; i < m; i++)
            {
                double g = gradOutput.Data[offsets[i]];
                gradWeight[ch] += g * normalized[i];
                gradBias[ch] += g;
                for (int j = 0; j < m; j++)
                {
                    double jacobian = (i == j ? 1.0 : 0.0) - (batchStatistics ? 1.0 / m + normalized[i] * normalized[j] / m : 0.0);
                    gradInput[offsets[j]] += g * gamma * invStd * jacobian;
                }
            }
        }
        return (gradInput, gradWeight, gradBias);
    }
}
