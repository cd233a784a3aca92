using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Bench;

/// <summary>
/// The <c>layers</c> mode: the standard layer set of bench/compare_layers.py (batch 64; the depthwise rows 16), each
/// timed forward (evaluation mode) and forward+backward (training mode, gradients of input and
/// parameters), with result buffers reused as during training, printed as <c>ROW kind name median min max ms</c> rows.
/// </summary>
internal static class LayerBench
{
    private const int Batch = 64;

    /// <summary>The layers and their input shapes, named exactly as in compare_layers.py.</summary>
    public static IReadOnlyList<(string Name, Func<Layer> Create, int[] Input)> Standard { get; } =
    [
        ("Conv2d(1,32,5,p=2) 28x28", () => new Conv2d(1, 32, 5, padding: 2), [Batch, 1, 28, 28]),
        ("Conv2d(32,64,5,p=2) 14x14", () => new Conv2d(32, 64, 5, padding: 2), [Batch, 32, 14, 14]),
        ("Conv2d(64,128,3,p=1) 7x7", () => new Conv2d(64, 128, 3, padding: 1), [Batch, 64, 7, 7]),
        ("Conv2d(3,64,3,p=1) 32x32", () => new Conv2d(3, 64, 3, padding: 1), [Batch, 3, 32, 32]),
        ("ConvTranspose2d(64,32,4,s=2,p=1) 7x7", () => new ConvTranspose2d(64, 32, 4, stride: 2, padding: 1), [Batch, 64, 7, 7]),
        ("MaxPool2d(2) 32x28x28", () => new MaxPool2d(2), [Batch, 32, 28, 28]),
        ("AvgPool2d(2) 32x28x28", () => new AvgPool2d(2), [Batch, 32, 28, 28]),
        ("LPPool2d(2,2) 32x28x28", () => new LPPool2d(2, 2), [Batch, 32, 28, 28]),
        ("Linear(3136,128)", () => new Linear(3136, 128), [Batch, 3136]),
        // Issue 17: the batch statistics and the backward's sums accumulate in double (the input is positive, mean 0.6).
        ("BatchNorm2d(32) 32x28x28", () => new BatchNorm2d(32), [Batch, 32, 28, 28]),
        // Issue 19: mobilenet-v2's depthwise 3×3 layers at 3×224×224, batch 16 (PassesBench.DepthwiseLayers).
        .. PassesBench.DepthwiseLayers.Select(l => (l.Name, (Func<Layer>)(() => new Conv2d(l.Channels, l.Channels, 3, stride: l.Stride, padding: 1, groups: l.Channels)), new[] { 16, l.Channels, l.Size, l.Size })),
    ];

    public static void Run(TextWriter output, Benchmark benchmark, IEnumerable<string>? only)
    {
        foreach (var (name, create, inputDims) in Standard)
        {
            if (only is not null && !only.Contains(name))
            {
                continue;
            }
            // Positive inputs: LPPool's square root needs positive sums (as on the PyTorch side).
            Tensor input = Tensor.RandomUniform(new Shape(inputDims), seed: 7, low: 0.1f, high: 1.1f);
            // A convolution row runs with Auto (the row compare.sh sets beside PyTorch's), then once
            // per algorithm that computes it, named "<row> [algorithm]".
            foreach (ConvolutionAlgorithm? algorithm in Algorithms(create(), input.Shape))
            {
                Layer layer = create();
                if (layer is ConvolutionBase convolution && algorithm is not null)
                {
                    convolution.Algorithm = algorithm.Value;
                }
                string label = algorithm is null ? name : $"{name} [{algorithm.Value.ToString().ToLowerInvariant()}]";
                Measure(output, benchmark, label, layer, input);
            }
        }
    }

    /// <summary>Null (the layer as it comes, Auto for a convolution), then every algorithm that runs as itself on a convolution.</summary>
    private static IEnumerable<ConvolutionAlgorithm?> Algorithms(Layer layer, Shape input)
    {
        yield return null;
        if (layer is not ConvolutionBase convolution)
        {
            yield break;
        }
        foreach (ConvolutionAlgorithm algorithm in ConvolutionAlgorithms.Implementations.Select(i => i.Algorithm))
        {
            convolution.Algorithm = algorithm;
            if (convolution.AlgorithmFor(input) == algorithm)
            {
                yield return algorithm;
            }
        }
    }

    private static void Measure(TextWriter output, Benchmark benchmark, string name, Layer layer, Tensor input)
    {
        // As the Trainer runs layers: results go into reused buffers. Fresh multi-megabyte
        // tensors per call cost ~10 µs per page fault on this VM, which PyTorch's allocator
        // (glibc reusing freed blocks) does not pay either.
        layer.SetReuseBuffers(true);
        layer.Eval();
        Row(output, "forward", name, benchmark.Measure(() => layer.Forward(input)));
        layer.Train();
        Tensor gradOutput = Tensor.RandomNormal(layer.OutputShape(input.Shape), seed: 8);
        Row(output, "forward+backward", name, benchmark.Measure(() =>
        {
            layer.ZeroGrad();
            layer.Forward(input);
            layer.Backward(gradOutput);
        }));
    }

    /// <summary>One tab-separated result row in milliseconds, the format compare_layers.py prints.</summary>
    public static void Row(TextWriter output, string kind, string name, Measurement measurement) =>
        output.WriteLine(FormattableString.Invariant(
            $"ROW\t{kind}\t{name}\t{measurement.Median * 1e3:F4}\t{measurement.Min * 1e3:F4}\t{measurement.Max * 1e3:F4}\tms"));
}
