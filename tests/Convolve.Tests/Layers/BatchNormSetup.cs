using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Tests.Layers;

/// <summary>Builds batch-norm layers and inputs for the tests; every value is seeded.</summary>
internal static class BatchNormSetup
{
    /// <summary>Shapes covering [N, C], [N, C, L] and [N, C, H, W]: batch 1 and 2, 1×1 spatial, odd sizes, C = 1, 16, 17.</summary>
    public static readonly int[][] Shapes =
    [
        [2, 3], [5, 17], [1, 4, 7], [3, 2, 1], [2, 16, 3], [2, 3, 4, 5], [1, 5, 3, 3], [4, 3, 1, 1], [2, 17, 3, 2], [3, 1, 5, 7],
    ];

    public static TheoryData<int[], bool> ShapesWithAffine()
    {
        var data = new TheoryData<int[], bool>();
        foreach (var shape in Shapes)
        {
            data.Add(shape, true);
            data.Add(shape, false);
        }
        return data;
    }

    /// <summary>BatchNorm2d for rank 4, else BatchNorm1d.</summary>
    public static BatchNorm Create(int[] shape, bool affine = true, bool track = true, double momentum = 0.1, double eps = 1e-5) =>
        shape.Length == 4
            ? new BatchNorm2d(shape[1], eps, momentum, affine, track)
            : new BatchNorm1d(shape[1], eps, momentum, affine, track);

    /// <summary>Non-trivial weight ~ 1 + 0.5·N(0,1), bias ~ N(0,1), running mean ~ N(0,1), running variance ~ U(0.5, 1.5).</summary>
    public static void Randomize(BatchNorm layer, ulong seed)
    {
        var random = new RandomSource(seed);
        layer.Weight?.Value.FillNormal(random, 1f, 0.5f);
        layer.Bias?.Value.FillNormal(random, 0f, 1f);
        layer.RunningMean?.FillNormal(random, 0f, 1f);
        layer.RunningVar?.FillUniform(random, 0.5f, 1.5f);
    }

    public static Tensor Input(int[] shape, ulong seed, float mean = 0f, float std = 1f) => Tensor.RandomNormal(new Shape(shape), seed, mean, std);

    public static float[]? Copy(Tensor? tensor) => tensor?.Data.ToArray();

    public static float[]? Copy(Parameter? parameter) => parameter?.Value.Data.ToArray();
}
