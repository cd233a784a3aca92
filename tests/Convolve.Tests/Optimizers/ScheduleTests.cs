using Convolve.Optimizers;

namespace Convolve.Tests.Optimizers;

/// <summary>Learning-rate schedules against PyTorch 1.13's scheduler classes, and their validation.</summary>
public class ScheduleTests
{
    public static TheoryData<string> Cases => OptimGolden.Names("schedules");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rates_for_every_step_match_pytorch(string name)
    {
        var testCase = OptimGolden.Case("schedules", name);
        var schedule = OptimGolden.Schedule(testCase.GetProperty("schedule"));
        double baseRate = testCase.GetProperty("base_lr").GetDouble();
        double[] expected = OptimGolden.Doubles(testCase.GetProperty("rates"));
        for (int step = 0; step < expected.Length; step++)
        {
            double actual = schedule.LearningRate(step, baseRate);
            Assert.True(Math.Abs(actual - expected[step]) <= OptimGolden.Tolerance * (1 + Math.Abs(expected[step])),
                $"{name} step {step}: {actual:R} but PyTorch gives {expected[step]:R}");
        }
    }

    [Fact]
    public void Hand_derived_values()
    {
        Assert.Equal(0.1 * 0.5 * 0.5, new StepLR(3, 0.5).LearningRate(7, 0.1), 15);
        // Halfway through the cosine the rate is the mean of base and etaMin; at tMax it is etaMin.
        Assert.Equal(0.55, new CosineAnnealingLR(10, 0.1).LearningRate(5, 1.0), 12);
        Assert.Equal(0.1, new CosineAnnealingLR(10, 0.1).LearningRate(10, 1.0), 12);
        var warmup = new LinearWarmup(4, new StepLR(1, 0.5));
        Assert.Equal([0.25, 0.5, 0.75, 1.0, 1.0, 0.5], Enumerable.Range(0, 6).Select(t => warmup.LearningRate(t, 1.0)));
        Assert.Equal(0.5, new LinearWarmup(0, new StepLR(1, 0.5)).LearningRate(1, 1.0));
    }

    [Fact]
    public void Invalid_arguments_name_the_argument_and_value()
    {
        AssertRefused("stepSize", "0", () => new StepLR(0, 0.5));
        AssertRefused("gamma", "-0.5", () => new StepLR(2, -0.5));
        AssertRefused("gamma", "NaN", () => new StepLR(2, double.NaN));
        AssertRefused("tMax", "-3", () => new CosineAnnealingLR(-3));
        AssertRefused("etaMin", "Infinity", () => new CosineAnnealingLR(5, double.PositiveInfinity));
        AssertRefused("warmupSteps", "-1", () => new LinearWarmup(-1, new StepLR(1)));
        AssertRefused("step", "-2", () => new StepLR(1).LearningRate(-2, 0.1));
        AssertRefused("baseLearningRate", "-0.1", () => new StepLR(1).LearningRate(0, -0.1));
        Assert.Throws<ArgumentNullException>(() => new LinearWarmup(2, null!));
    }

    private static void AssertRefused(string argument, string value, Func<object> action)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(action);
        Assert.Equal(argument, ex.ParamName);
        Assert.Contains(value, ex.Message, StringComparison.Ordinal);
    }
}
