using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Tests.Onnx;

/// <summary>Helpers that give test models non-trivial state.</summary>
internal static class OnnxTestModels
{
    /// <summary>
    /// Gives every batch normalisation random running statistics and affine parameters (a fresh
    /// layer's are 0, 1, 1 and 0, under which inference is nearly the identity and a wrong export would pass).
    /// </summary>
    public static void RandomizeStatistics(Layer model, ulong seed)
    {
        var random = new RandomSource(seed);
        foreach (var (name, tensor) in model.NamedBuffers())
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal))
            {
                Fill(tensor, random, 0.5f, 0f);
            }
            else if (name.EndsWith("running_var", StringComparison.Ordinal))
            {
                Fill(tensor, random, 0.5f, 1f, positive: true);
            }
        }
        foreach (var (name, parameter) in model.NamedParameters())
        {
            if (parameter.Value.Rank == 1 && IsNormalization(model, name))
            {
                Fill(parameter.Value, random, 0.3f, name.EndsWith("weight", StringComparison.Ordinal) ? 1f : 0f);
            }
        }
    }

    private static bool IsNormalization(Layer model, string parameterName)
    {
        string prefix = parameterName[..(parameterName.LastIndexOf('.') + 1)];
        return model.NamedBuffers().Any(b => b.Name == prefix + "running_mean");
    }

    private static void Fill(Tensor tensor, RandomSource random, float scale, float offset, bool positive = false)
    {
        for (int i = 0; i < tensor.Size; i++)
        {
            float value = offset + scale * (float)(random.NextDouble() * 2 - 1);
            tensor.Data[i] = positive ? Math.Abs(value) + 0.05f : value;
        }
    }
}
