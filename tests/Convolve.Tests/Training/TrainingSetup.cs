using Convolve.Data;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Tests.Training;

/// <summary>Small synthetic data and models for trainer tests, each built from explicit seeds.</summary>
internal static class TrainingSetup
{
    /// <summary>
    /// Three separable classes of 1×4×4 images: class c is Gaussian noise (σ = 0.2) plus 1 on its own
    /// 2×2 block (rows/columns (0,0), (0,2), (2,1)). Labels cycle 0, 1, 2.
    /// </summary>
    public static Dataset Blobs(int count, ulong seed)
    {
        var images = Tensor.RandomNormal(new Shape(count, 1, 4, 4), seed, 0f, 0.2f);
        var labels = new int[count];
        (int Row, int Column)[] corners = [(0, 0), (0, 2), (2, 1)];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % 3;
            var (row, column) = corners[labels[i]];
            for (int y = row; y < row + 2; y++)
            {
                for (int x = column; x < column + 2; x++)
                {
                    images[i, 0, y, x] += 1f;
                }
            }
        }
        return new Dataset(images, labels, 3);
    }

    /// <summary>Conv2d(1→4, 3×3) → ReLU → Flatten → Linear(16 → 3): input [N, 1, 4, 4].</summary>
    public static Sequential TinyCnn(ulong seed) => new(
        new Conv2d(1, 4, 3, random: new RandomSource(seed)), new ReLU(), new Flatten(), new Linear(16, 3, random: new RandomSource(seed + 1)));

    /// <summary>
    /// Conv2d → BatchNorm2d → ReLU → [Dropout (seeded)] → Flatten → Linear, so buffers and random
    /// masks take part: input [N, 1, 4, 4].
    /// </summary>
    public static Sequential TinyCnnWithBatchNorm(ulong seed, bool dropout = true)
    {
        var model = new Sequential(new Conv2d(1, 4, 3, random: new RandomSource(seed)), new BatchNorm2d(4), new ReLU());
        if (dropout)
        {
            model.Add(new Dropout(0.25f, new RandomSource(seed + 2)));
        }
        model.Add(new Flatten());
        model.Add(new Linear(16, 3, random: new RandomSource(seed + 1)));
        return model;
    }

    /// <summary>Copies of every parameter and buffer value, in state-dict order.</summary>
    public static List<(string Name, float[] Values)> Snapshot(Layer model) =>
        [.. model.NamedParameters().Select(p => (p.Name, (float[])p.Parameter.Value.Data.Clone())),
         .. model.NamedBuffers().Select(b => (b.Name, (float[])b.Buffer.Data.Clone()))];

    /// <summary>Requires every parameter and buffer of <paramref name="model"/> to equal the snapshot bit for bit.</summary>
    public static void AssertIdentical(List<(string Name, float[] Values)> expected, Layer model, string context)
    {
        var actual = Snapshot(model);
        Assert.Equal(expected.Select(e => e.Name), actual.Select(a => a.Name));
        for (int i = 0; i < expected.Count; i++)
        {
            Testing.TensorAssert.Identical(expected[i].Values, actual[i].Values, $"{context}: {expected[i].Name}");
        }
    }

    /// <summary>Whether any parameter differs in any bit.</summary>
    public static bool AnyDifferent(List<(string Name, float[] Values)> first, List<(string Name, float[] Values)> second) =>
        first.Zip(second).Any(pair => !pair.First.Values.AsSpan().SequenceEqual(pair.Second.Values));
}
