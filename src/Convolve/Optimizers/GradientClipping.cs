using Convolve.Layers;

namespace Convolve.Optimizers;

/// <summary>Gradient clipping, as <c>torch.nn.utils.clip_grad_norm_</c>.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Computes the L2 norm of all the gradients together (accumulated in double) and, when
    /// <c>maxNorm / (norm + 1e-6)</c> is below 1, scales every gradient by that factor. Returns the
    /// norm before clipping. A non-finite norm (a NaN or infinite gradient) is returned and nothing
    /// is scaled, so the caller sees it; with <paramref name="errorIfNonfinite"/> it throws instead.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="maxNorm"/> is NaN or negative (+∞ only measures).</exception>
    /// <exception cref="InvalidOperationException">The norm is not finite and <paramref name="errorIfNonfinite"/> is set; the message names the first bad parameter.</exception>
    public static double ClipGradNorm(IEnumerable<Parameter> parameters, double maxNorm, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0))
        {
            throw new ArgumentException($"maxNorm must be non-negative but got {maxNorm}", nameof(maxNorm));
        }
        Parameter[] list = [.. parameters];
        double sumOfSquares = 0;
        foreach (var parameter in list)
        {
            foreach (float g in parameter.Grad.Span)
            {
                sumOfSquares += (double)g * g;
            }
        }
        double totalNorm = Math.Sqrt(sumOfSquares);
        if (!double.IsFinite(totalNorm))
        {
            return errorIfNonfinite ? throw new InvalidOperationException(DescribeNonFinite(list, totalNorm)) : totalNorm;
        }
        double coefficient = maxNorm / (totalNorm + 1e-6);
        if (coefficient < 1)
        {
            float scale = (float)coefficient;
            foreach (var parameter in list)
            {
                foreach (ref float g in parameter.Grad.Span)
                {
                    g *= scale;
                }
            }
        }
        return totalNorm;
    }

    private static string DescribeNonFinite(Parameter[] list, double totalNorm)
    {
        for (int p = 0; p < list.Length; p++)
        {
            var grad = list[p].Grad.Span;
            for (int i = 0; i < grad.Length; i++)
            {
                if (!float.IsFinite(grad[i]))
                {
                    return $"the total gradient norm is {totalNorm}: the gradient of parameter {p} ('{list[p].Name}' {list[p].Shape}) is {grad[i]} at element {i}";
                }
            }
        }
        return $"the total gradient norm is {totalNorm}";
    }
}
