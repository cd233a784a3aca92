using Convolve.Tensors;

namespace Convolve.Visualization;

/// <summary>Maps tensors of any range to displayable values in [0, 1].</summary>
public static class DisplayScaling
{
    /// <summary>
    /// Zero becomes mid-gray and the largest magnitude reaches black or white: <c>0.5 + 0.5·v/max|v|</c>
    /// (with <paramref name="scale"/> instead of max|v| when given, to compare several tensors on one scale).
    /// Signs stay visible, as in Zeiler &amp; Fergus's and Springenberg et al.'s figures.
    /// </summary>
    public static Tensor Symmetric(Tensor values, float? scale = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        float peak = scale ?? MaxAbsolute(values.Span);
        var result = new Tensor(values.Shape);
        for (int i = 0; i < values.Size; i++)
        {
            result.Data[i] = peak > 0f ? Math.Clamp(0.5f + 0.5f * values.Data[i] / peak, 0f, 1f) : 0.5f;
        }
        return result;
    }

    /// <summary>The smallest value becomes black and the largest white (a constant tensor is mid-gray).</summary>
    public static Tensor MinMax(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values.Span)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        var result = new Tensor(values.Shape);
        for (int i = 0; i < values.Size; i++)
        {
            result.Data[i] = max > min ? (values.Data[i] - min) / (max - min) : 0.5f;
        }
        return result;
    }

    /// <summary>Undoes the input normalisation, <c>v·std + mean</c>, clamped to [0, 1]: a model input shown as the picture it came from.</summary>
    public static Tensor Unnormalize(Tensor values, double mean, double std)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = new Tensor(values.Shape);
        for (int i = 0; i < values.Size; i++)
        {
            result.Data[i] = (float)Math.Clamp(values.Data[i] * std + mean, 0, 1);
        }
        return result;
    }

    /// <summary>The largest absolute value (0 for an empty span).</summary>
    public static float MaxAbsolute(ReadOnlySpan<float> values)
    {
        float peak = 0f;
        foreach (float v in values)
        {
            peak = Math.Max(peak, Math.Abs(v));
        }
        return peak;
    }
}
