using System.Globalization;
using Xunit.Abstractions;

namespace Convolve.Tests.Golden;

/// <summary>Every layer against PyTorch 1.13 through the committed golden vectors.</summary>
public class GoldenTests(ITestOutputHelper output)
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in GoldenFile.All)
        {
            data.Add(c.Name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Matches_PyTorch(string caseName)
    {
        var c = GoldenFile.All.Single(g => g.Name == caseName);
        var errors = GoldenRunner.Run(c);
        Assert.Contains("grad_input", errors.Keys);
    }

    [Fact]
    public void The_file_covers_every_layer_with_at_least_300_cases()
    {
        var kinds = GoldenFile.All.GroupBy(c => c.Kind).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(GoldenFile.All.Count >= 300, $"only {GoldenFile.All.Count} golden cases");
        string[] required =
        [
            "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d", "Linear",
            "MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d", "LPPool1d", "LPPool2d",
            "MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d", "AdaptiveAvgPool2d", "ReLU", "LeakyReLU", "Sigmoid", "Tanh",
            "Flatten", "CrossEntropyLoss", "MseLoss",
        ];
        Assert.Empty(required.Except(kinds.Keys));
        Assert.Equal(GoldenFile.All.Count, GoldenFile.All.Select(c => c.Name).Distinct().Count());
    }

    /// <summary>
    /// Every convolution case with each algorithm pinned (Winograd and depthwise run where they apply, the
    /// rule's choice elsewhere); prints the worst normalised error per algorithm and kind.
    /// </summary>
    [Theory]
    [InlineData(Convolve.Layers.ConvolutionAlgorithm.Im2Col)]
    [InlineData(Convolve.Layers.ConvolutionAlgorithm.Direct)]
    [InlineData(Convolve.Layers.ConvolutionAlgorithm.Winograd)]
    [InlineData(Convolve.Layers.ConvolutionAlgorithm.Depthwise)]
    public void Convolutions_match_PyTorch_with_every_algorithm(Convolve.Layers.ConvolutionAlgorithm algorithm)
    {
        var worst = new SortedDictionary<string, (int Cases, double Error)>(StringComparer.Ordinal);
        foreach (var c in GoldenFile.All.Where(c => c.Kind.StartsWith("Conv", StringComparison.Ordinal)))
        {
            double error = GoldenRunner.Run(c, algorithm).Values.Max();
            var (cases, best) = worst.GetValueOrDefault(c.Kind);
            worst[c.Kind] = (cases + 1, Math.Max(best, error));
            Assert.True(error <= GoldenRunner.Tolerance, $"{c.Name} with {algorithm}: worst normalised error {error}");
        }
        Assert.True(worst.Values.Sum(w => w.Cases) >= 150, "too few convolution cases");
        foreach (var (kind, (cases, error)) in worst)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{algorithm,-8} {kind,-16} {cases,4} cases  worst {error:E2}"));
        }
    }

    /// <summary>Prints cases and the worst normalised error per layer kind (run with a detailed logger to see it).</summary>
    [Fact]
    public void Worst_error_per_layer_is_within_tolerance()
    {
        var worst = new SortedDictionary<string, (int Cases, double Error, string Where)>(StringComparer.Ordinal);
        foreach (var c in GoldenFile.All)
        {
            foreach (var (tensor, error) in GoldenRunner.Run(c))
            {
                var (cases, best, where) = worst.GetValueOrDefault(c.Kind);
                worst[c.Kind] = error > best ? (cases, error, $"{c.Name}.{tensor}") : (cases, best, where);
            }
            var entry = worst[c.Kind];
            worst[c.Kind] = (entry.Cases + 1, entry.Error, entry.Where);
        }
        foreach (var (kind, (cases, error, where)) in worst)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind,-18} {cases,4} cases  worst {error:E2}  at {where}"));
            Assert.True(error <= GoldenRunner.Tolerance, $"{kind}: worst normalised error {error} at {where}");
        }
    }
}
