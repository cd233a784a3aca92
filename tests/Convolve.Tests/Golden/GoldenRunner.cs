using Convolve.Layers;
using Convolve.Losses;
using Convolve.Tensors;

namespace Convolve.Tests.Golden;

/// <summary>
/// Builds the Convolve layer a golden case describes, loads PyTorch's parameters into it, runs
/// forward and backward, and measures every result against PyTorch's.
/// </summary>
public static class GoldenRunner
{
    /// <summary>The acceptance rule: |ours − torch| ≤ 1e-4·(1 + |torch|).</summary>
    public const double Tolerance = 1e-4;

    /// <summary>
    /// Runs one case; returns the worst normalised error |ours − torch| / (1 + |torch|) per compared
    /// tensor. A convolution runs with <paramref name="algorithm"/>.
    /// </summary>
    public static Dictionary<string, double> Run(GoldenCase c, ConvolutionAlgorithm algorithm = ConvolutionAlgorithm.Auto)
    {
        var errors = new Dictionary<string, double>();
        switch (c.Kind)
        {
            case "CrossEntropyLoss":
                RunCrossEntropy(c, errors);
                break;
            case "MseLoss":
                RunMse(c, errors);
                break;
            case "MaxUnpool1d" or "MaxUnpool2d" or "MaxUnpool3d":
                RunUnpool(c, errors);
                break;
            default:
                RunLayer(c, errors, algorithm);
                break;
        }
        return errors;
    }

    private static void RunLayer(GoldenCase c, Dictionary<string, double> errors, ConvolutionAlgorithm algorithm)
    {
        Layer layer = GoldenLayers.Build(c);
        if (layer is ConvolutionBase convolution)
        {
            convolution.Algorithm = algorithm;
        }
        var parameters = layer.NamedParameters().ToList();
        var expectedNames = c.Tensors.Keys.Where(k => k is "weight" or "bias").Order();
        Assert.Equal(expectedNames, parameters.Select(p => p.Name).Order());
        foreach (var (name, parameter) in parameters)
        {
            Assert.Equal(c[name].Shape, parameter.Shape);
            parameter.Load(c[name].Data);
        }
        Tensor output;
        if (layer is MaxPoolNd pool)
        {
            var (pooled, indices) = pool.ForwardWithIndices(c["input"]);
            output = pooled;
            Assert.Equal(c["indices"].Data.Select(v => (int)v), indices.Data);
        }
        else
        {
            output = layer.Forward(c["input"]);
        }
        Measure(c, "output", output, errors);
        Measure(c, "grad_input", layer.Backward(c["grad_output"]), errors);
        foreach (var (name, parameter) in parameters)
        {
            Measure(c, "grad_" + name, parameter.Grad, errors);
        }
    }

    private static void RunUnpool(GoldenCase c, Dictionary<string, double> errors)
    {
        var unpool = GoldenLayers.BuildUnpool(c);
        var indices = new IndexTensor(c["indices"].Shape, c["indices"].Data.Select(v => (int)v).ToArray());
        Measure(c, "output", unpool.Forward(c["input"], indices, c.IntsOf("output_size")), errors);
        Measure(c, "grad_input", unpool.Backward(c["grad_output"]), errors);
    }

    private static void RunCrossEntropy(GoldenCase c, Dictionary<string, double> errors)
    {
        var reduction = c.StringOf("reduction") == "sum" ? Reduction.Sum : Reduction.Mean;
        var loss = new CrossEntropyLoss(reduction, (float)c.DoubleOf("label_smoothing"));
        int[] targets = c["target"].Data.Select(v => (int)v).ToArray();
        double value = loss.Forward(c["input"], targets);
        Measure(c, "loss", Tensor.FromArray([(float)value], 1), errors);
        Measure(c, "grad_input", loss.Backward(), errors);
    }

    private static void RunMse(GoldenCase c, Dictionary<string, double> errors)
    {
        var loss = new MseLoss(c.StringOf("reduction") == "sum" ? Reduction.Sum : Reduction.Mean);
        double value = loss.Forward(c["input"], c["target"]);
        Measure(c, "loss", Tensor.FromArray([(float)value], 1), errors);
        Measure(c, "grad_input", loss.Backward(), errors);
    }

    private static void Measure(GoldenCase c, string name, Tensor actual, Dictionary<string, double> errors)
    {
        Tensor expected = c[name];
        Assert.True(expected.Shape == actual.Shape, $"{c.Name} {name}: shape {actual.Shape} but PyTorch gives {expected.Shape}");
        double worst = 0;
        for (int i = 0; i < expected.Size; i++)
        {
            double error = Math.Abs((double)actual.Data[i] - expected.Data[i]) / (1 + Math.Abs(expected.Data[i]));
            Assert.True(error <= Tolerance, $"{c.Name} {name}[{i}]: ours {actual.Data[i]:G9}, PyTorch {expected.Data[i]:G9} (normalised error {error:G3})");
            worst = Math.Max(worst, error);
        }
        errors[name] = worst;
    }
}
