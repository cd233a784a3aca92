using Convolve.Tests.Testing;

namespace Convolve.Tests.Optimizers;

/// <summary>Sgd, Adam and AdamW against PyTorch 1.13 on the golden sequences of gradients.</summary>
public class OptimizerGoldenTests
{
    public static TheoryData<string> Cases => OptimGolden.Names("optimizers");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parameters_after_each_step_match_pytorch(string name)
    {
        var testCase = OptimGolden.Case("optimizers", name);
        var parameters = OptimGolden.Parameters(testCase, testCase.GetProperty("initial"));
        var optimizer = OptimGolden.Optimizer(testCase, parameters);
        var gradients = testCase.GetProperty("gradients").EnumerateArray().ToArray();
        var after = testCase.GetProperty("after").EnumerateArray().ToArray();
        Assert.True(gradients.Length >= 3, "the golden case should have at least 3 steps");
        for (int step = 0; step < gradients.Length; step++)
        {
            OptimGolden.SetGradients(parameters, gradients[step]);
            optimizer.Step();
            var expected = after[step].EnumerateArray().ToArray();
            for (int p = 0; p < parameters.Length; p++)
            {
                TensorAssert.Close(OptimGolden.Floats(expected[p]), parameters[p].Value.Span, OptimGolden.Tolerance,
                    OptimGolden.Tolerance, $"{name} step {step + 1} parameter {p}");
            }
        }
    }

    [Fact]
    public void Golden_file_covers_every_configuration_the_brief_names()
    {
        var names = OptimGolden.Section("optimizers").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToHashSet();
        string[] required = ["sgd_plain", "sgd_momentum", "sgd_nesterov", "sgd_dampening", "sgd_weight_decay",
            "adam", "adam_amsgrad", "adam_weight_decay", "adamw"];
        Assert.All(required, r => Assert.Contains(r, names));
    }
}
