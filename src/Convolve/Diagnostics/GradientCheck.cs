using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Diagnostics;

/// <summary>
/// Finite-difference gradient checks. The scalar checked is <c>L = Σ r ⊙ f(x)</c> for a fixed
/// random projection <c>r</c>, so <c>∂L/∂f = r</c> is what backward receives; each checked element
/// of the input and of every parameter is perturbed by ±ε and the central difference
/// <c>(L(x+ε) − L(x−ε)) / 2ε</c>, accumulated in double, is compared with the analytic gradient.
/// </summary>
public static class GradientCheck
{
    /// <summary>Checks a layer's input and parameter gradients at <paramref name="input"/>.</summary>
    /// <param name="layer">The layer; it is run in its current mode and its gradients are cleared.</param>
    /// <param name="input">The point to check at; restored afterwards.</param>
    /// <param name="seed">Seed of the projection and of the element sample.</param>
    /// <param name="epsilon">Perturbation size.</param>
    /// <param name="maxElementsPerTensor">At most this many elements of each tensor are checked (a seeded sample).</param>
    public static GradientCheckReport CheckLayer(Layer layer, Tensor input, ulong seed = 1, float epsilon = 1e-2f, int maxElementsPerTensor = 64)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        var projection = Tensor.RandomNormal(layer.OutputShape(input.Shape), seed);
        double Evaluate() => Dot(layer.Forward(input), projection);

        layer.ZeroGrad();
        layer.Forward(input);
        Tensor gradInput = layer.Backward(projection.Clone());
        var report = new GradientCheckReport();
        var random = new RandomSource(seed ^ 0x5DEECE66DUL);
        Compare(report, "input", input, gradInput, Evaluate, epsilon, maxElementsPerTensor, random);
        foreach (var (name, parameter) in layer.NamedParameters())
        {
            Compare(report, name, parameter.Value, parameter.Grad.Clone(), Evaluate, epsilon, maxElementsPerTensor, random);
        }
        return report;
    }

    /// <summary>
    /// Checks an arbitrary scalar function of <paramref name="point"/> against its claimed
    /// gradient; <paramref name="evaluate"/> must read <paramref name="point"/> afresh each call.
    /// </summary>
    public static GradientCheckReport CheckFunction(string name, Tensor point, Tensor analyticGradient, Func<double> evaluate, ulong seed = 1, float epsilon = 1e-2f, int maxElements = 64)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(analyticGradient);
        ArgumentNullException.ThrowIfNull(evaluate);
        var report = new GradientCheckReport();
        Compare(report, name, point, analyticGradient, evaluate, epsilon, maxElements, new RandomSource(seed));
        return report;
    }

    private static void Compare(GradientCheckReport report, string name, Tensor point, Tensor analytic, Func<double> evaluate, float epsilon, int maxElements, RandomSource random)
    {
        if (analytic.Shape != point.Shape)
        {
            throw new ArgumentException($"gradient of '{name}' has shape {analytic.Shape} but the value has {point.Shape}");
        }
        foreach (int index in SampleIndices(point.Size, maxElements, random))
        {
            float original = point.Data[index];
            point.Data[index] = original + epsilon;
            double plus = evaluate();
            point.Data[index] = original - epsilon;
            double minus = evaluate();
            point.Data[index] = original;
            // The perturbation actually applied in float32 may differ slightly from epsilon.
            double step = (double)(original + epsilon) - (original - epsilon);
            report.Add(name, index, analytic.Data[index], (plus - minus) / step);
        }
    }

    private static IEnumerable<int> SampleIndices(int size, int maxElements, RandomSource random)
    {
        if (size <= maxElements)
        {
            return Enumerable.Range(0, size);
        }
        var chosen = new SortedSet<int>();
        while (chosen.Count < maxElements)
        {
            chosen.Add(random.NextInt(size));
        }
        return chosen;
    }

    private static double Dot(Tensor a, Tensor b)
    {
        double sum = 0;
        for (int i = 0; i < a.Size; i++)
        {
            sum += (double)a.Data[i] * b.Data[i];
        }
        return sum;
    }
}
