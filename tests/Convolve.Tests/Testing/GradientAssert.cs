using Convolve.Diagnostics;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Tests.Testing;

/// <summary>Runs <see cref="GradientCheck"/> and fails with the mismatching elements named.</summary>
public static class GradientAssert
{
    /// <summary>Default tolerances for float32 layers with ε = 1e-2 central differences.</summary>
    public const double Relative = 2e-2, Absolute = 2e-3;

    /// <summary>Checks input and parameter gradients of <paramref name="layer"/> at <paramref name="input"/>.</summary>
    public static void Layer(Layer layer, Tensor input, ulong seed = 1, float epsilon = 1e-2f, double rtol = Relative, double atol = Absolute)
    {
        var report = GradientCheck.CheckLayer(layer, input, seed, epsilon);
        AssertReport(report, $"{layer.Name} at input {input.Shape}", rtol, atol);
    }

    /// <summary>Fails if any entry of <paramref name="report"/> is out of tolerance, or if nothing was compared.</summary>
    public static void AssertReport(GradientCheckReport report, string context, double rtol = Relative, double atol = Absolute)
    {
        Assert.NotEmpty(report.Entries);
        string failures = report.Describe(rtol, atol);
        Assert.True(failures.Length == 0, $"{context}: gradient mismatch{Environment.NewLine}{failures}");
    }
}
