using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Pooling;

/// <summary>Seeded pooling configurations, the named edge cases, test inputs and layer factories.</summary>
public static class PoolingCases
{
    /// <summary>
    /// The edge cases every pooling comparison covers: batch 1, 1×1 spatial, kernel = input,
    /// stride &gt; kernel, odd sizes, padding, dilation, and ceil mode where it adds or drops a window.
    /// </summary>
    public static IReadOnlyList<(string Name, Shape Input, PoolSpec Spec)> Edge { get; } =
    [
        ("batch 1, 1x1 spatial", new Shape(1, 3, 1, 1), Spec([1, 1], [1, 1], [0, 0], [1, 1], false)),
        ("kernel = input", new Shape(2, 2, 5, 7), Spec([5, 7], [5, 7], [0, 0], [1, 1], false)),
        ("1d kernel = input", new Shape(1, 2, 6), Spec([6], [6], [0], [1], false)),
        ("stride > kernel", new Shape(2, 3, 9, 10), Spec([2, 2], [3, 3], [0, 0], [1, 1], false)),
        ("odd sizes, ceil keeps partial windows", new Shape(1, 3, 7, 5), Spec([3, 3], [2, 2], [0, 0], [1, 1], true)),
        ("padding, ceil adds a window", new Shape(1, 2, 6, 6), Spec([3, 3], [2, 2], [1, 1], [1, 1], true)),
        ("ceil drops a window starting in the padding", new Shape(1, 1, 5), Spec([2], [2], [1], [1], true)),
        ("ceil keeps a partial window", new Shape(2, 1, 5), Spec([2], [2], [0], [1], true)),
        ("3d padding, stride > kernel, ceil", new Shape(1, 2, 5, 4, 6), Spec([3, 2, 3], [2, 3, 4], [1, 1, 0], [1, 1, 1], true)),
        ("3d odd sizes, ceil", new Shape(2, 1, 3, 5, 7), Spec([2, 2, 2], [2, 2, 2], [0, 0, 0], [1, 1, 1], true)),
        ("3d 1x1x1", new Shape(1, 1, 1, 1, 1), Spec([1, 1, 1], [1, 1, 1], [0, 0, 0], [1, 1, 1], false)),
        ("dilation with padding", new Shape(1, 2, 9, 8), Spec([3, 3], [2, 2], [1, 1], [2, 2], false)),
        ("1d dilation, ceil", new Shape(1, 1, 10), Spec([3], [1], [1], [3], true)),
        ("3d dilation", new Shape(1, 1, 5, 6, 7), Spec([2, 2, 2], [1, 1, 1], [1, 1, 1], [2, 1, 3], false)),
    ];

    /// <summary>Seeded random window options with a valid input shape for each.</summary>
    public static List<(Shape Input, PoolSpec Spec)> Random(ulong seed, int count, int maxDims, bool dilation, bool padding)
    {
        var random = new RandomSource(seed);
        var cases = new List<(Shape, PoolSpec)>();
        for (int i = 0; i < count; i++)
        {
            int dims = 1 + random.NextInt(maxDims);
            int[] k = new int[dims], s = new int[dims], p = new int[dims], d = new int[dims];
            int[] input = [1 + random.NextInt(2), 1 + random.NextInt(3), .. new int[dims]];
            for (int j = 0; j < dims; j++)
            {
                k[j] = 1 + random.NextInt(dims == 3 ? 3 : 4);
                s[j] = 1 + random.NextInt(k[j] + 2);
                d[j] = dilation ? 1 + random.NextInt(3) : 1;
                p[j] = padding ? random.NextInt(k[j] / 2 + 1) : 0;
                input[2 + j] = Math.Max(1, d[j] * (k[j] - 1) + 1 - 2 * p[j] + random.NextInt(dims == 3 ? 4 : 7));
            }
            cases.Add((new Shape(input), Spec(k, s, p, d, random.NextInt(2) == 1)));
        }
        return cases;
    }

    /// <summary>The same options without dilation, for pooling kinds that have none.</summary>
    public static PoolSpec Undilated(PoolSpec spec) => spec with { Dilation = Enumerable.Repeat(1, spec.Dims).ToArray() };

    /// <summary>A tensor whose values are distinct and at least <paramref name="spacing"/> apart, in seeded random order, centred on 0.</summary>
    public static Tensor Distinct(Shape shape, ulong seed, float spacing = 0.05f)
    {
        var random = new RandomSource(seed);
        var order = Enumerable.Range(0, shape.Size).ToArray();
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return new Tensor(shape, Array.ConvertAll(order, v => (v - shape.Size / 2) * spacing));
    }

    /// <summary>A MaxPool of the spec's dimensionality.</summary>
    public static MaxPoolNd MaxPool(PoolSpec spec) => spec.Dims switch
    {
        1 => new MaxPool1d(spec.Kernel, spec.Stride, spec.Padding, spec.Dilation, spec.CeilMode),
        2 => new MaxPool2d(spec.Kernel, spec.Stride, spec.Padding, spec.Dilation, spec.CeilMode),
        _ => new MaxPool3d(spec.Kernel, spec.Stride, spec.Padding, spec.Dilation, spec.CeilMode),
    };

    /// <summary>An AvgPool of the spec's dimensionality (its dilation must be 1).</summary>
    public static AvgPoolNd AvgPool(PoolSpec spec, bool countIncludePad) => spec.Dims switch
    {
        1 => new AvgPool1d(spec.Kernel, spec.Stride, spec.Padding, spec.CeilMode, countIncludePad),
        2 => new AvgPool2d(spec.Kernel, spec.Stride, spec.Padding, spec.CeilMode, countIncludePad),
        _ => new AvgPool3d(spec.Kernel, spec.Stride, spec.Padding, spec.CeilMode, countIncludePad),
    };

    /// <summary>An LPPool of the spec's dimensionality (1 or 2; padding 0, dilation 1).</summary>
    public static LPPoolNd LPPool(double normType, PoolSpec spec) => spec.Dims == 1
        ? new LPPool1d(normType, spec.Kernel, spec.Stride, spec.CeilMode)
        : new LPPool2d(normType, spec.Kernel, spec.Stride, spec.CeilMode);

    /// <summary>A MaxUnpool of the spec's dimensionality with its kernel, stride and padding.</summary>
    public static MaxUnpoolNd MaxUnpool(PoolSpec spec) => spec.Dims switch
    {
        1 => new MaxUnpool1d(spec.Kernel, spec.Stride, spec.Padding),
        2 => new MaxUnpool2d(spec.Kernel, spec.Stride, spec.Padding),
        _ => new MaxUnpool3d(spec.Kernel, spec.Stride, spec.Padding),
    };

    /// <summary>Σ a·b in double.</summary>
    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }
        return sum;
    }

    private static PoolSpec Spec(int[] k, int[] s, int[] p, int[] d, bool ceil) => new(k, s, p, d, ceil);
}
