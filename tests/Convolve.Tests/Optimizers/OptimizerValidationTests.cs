using Convolve.Layers;
using Convolve.Optimizers;
using Convolve.Tensors;

namespace Convolve.Tests.Optimizers;

/// <summary>Every hyper-parameter rule, at construction and when the learning rate is set.</summary>
public class OptimizerValidationTests
{
    private static Parameter[] Parameters() => [new Parameter("weight", new Shape(2, 3)), new Parameter("bias", new Shape(2))];

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "sgd lr NaN", "learningRate", "NaN" },
        { "sgd lr -0.1", "learningRate", "-0.1" },
        { "sgd lr inf", "learningRate", "Infinity" },
        { "sgd momentum", "momentum", "-0.9" },
        { "sgd dampening", "dampening", "NaN" },
        { "sgd weightDecay", "weightDecay", "-1E-05" },
        { "sgd nesterov without momentum", "nesterov", "momentum 0 and dampening 0" },
        { "sgd nesterov with dampening", "nesterov", "momentum 0.9 and dampening 0.1" },
        { "adam lr", "learningRate", "-0.001" },
        { "adam beta1 = 1", "beta1", "[0, 1) but got 1" },
        { "adam beta2 < 0", "beta2", "[0, 1) but got -0.5" },
        { "adam beta2 NaN", "beta2", "NaN" },
        { "adam epsilon", "epsilon", "-1E-08" },
        { "adam weightDecay", "weightDecay", "Infinity" },
        { "adamw weightDecay", "weightDecay", "-0.01" },
        { "adamw beta1", "beta1", "1.5" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Invalid_hyper_parameter_names_the_argument_and_value(string which, string argument, string shown)
    {
        Action create = which switch
        {
            "sgd lr NaN" => () => _ = new Sgd(Parameters(), double.NaN),
            "sgd lr -0.1" => () => _ = new Sgd(Parameters(), -0.1),
            "sgd lr inf" => () => _ = new Sgd(Parameters(), double.PositiveInfinity),
            "sgd momentum" => () => _ = new Sgd(Parameters(), 0.1, momentum: -0.9),
            "sgd dampening" => () => _ = new Sgd(Parameters(), 0.1, momentum: 0.9, dampening: double.NaN),
            "sgd weightDecay" => () => _ = new Sgd(Parameters(), 0.1, weightDecay: -1e-5),
            "sgd nesterov without momentum" => () => _ = new Sgd(Parameters(), 0.1, nesterov: true),
            "sgd nesterov with dampening" => () => _ = new Sgd(Parameters(), 0.1, momentum: 0.9, dampening: 0.1, nesterov: true),
            "adam lr" => () => _ = new Adam(Parameters(), -1e-3),
            "adam beta1 = 1" => () => _ = new Adam(Parameters(), beta1: 1.0),
            "adam beta2 < 0" => () => _ = new Adam(Parameters(), beta2: -0.5),
            "adam beta2 NaN" => () => _ = new Adam(Parameters(), beta2: double.NaN),
            "adam epsilon" => () => _ = new Adam(Parameters(), epsilon: -1e-8),
            "adam weightDecay" => () => _ = new Adam(Parameters(), weightDecay: double.PositiveInfinity),
            "adamw weightDecay" => () => _ = new AdamW(Parameters(), weightDecay: -0.01),
            "adamw beta1" => () => _ = new AdamW(Parameters(), beta1: 1.5),
            _ => throw new ArgumentOutOfRangeException(nameof(which)),
        };
        var ex = Assert.Throws<ArgumentException>(create);
        Assert.Equal(argument, ex.ParamName);
        Assert.Contains(shown, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Setting_an_invalid_learning_rate_is_refused_and_changes_nothing(double rate, string shown)
    {
        var optimizer = new Adam(Parameters(), 0.01);
        var ex = Assert.Throws<ArgumentException>(() => optimizer.LearningRate = rate);
        Assert.Equal("learningRate", ex.ParamName);
        Assert.Contains(shown, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0.01, optimizer.LearningRate);
    }

    [Fact]
    public void Boundary_values_are_accepted()
    {
        var sgd = new Sgd(Parameters(), 0, momentum: 0.9, nesterov: true) { LearningRate = 0 };
        Assert.Equal(0, sgd.LearningRate);
        var adam = new Adam(Parameters(), 0, beta1: 0, beta2: 0, epsilon: 0);
        Assert.Equal(0, adam.Beta1);
    }

    [Fact]
    public void Parameter_list_must_be_non_empty_without_repeats()
    {
        var empty = Assert.Throws<ArgumentException>(() => new Sgd([], 0.1));
        Assert.Contains("empty", empty.Message, StringComparison.Ordinal);
        var p = new Parameter("weight", new Shape(4));
        var repeated = Assert.Throws<ArgumentException>(() => new Adam([p, new Parameter("bias", new Shape(1)), p]));
        Assert.Contains("parameter 2 ('weight' [4]) is the same object as parameter 0", repeated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_grad_clears_every_gradient()
    {
        var parameters = Parameters();
        parameters[0].Grad.Span.Fill(3f);
        parameters[1].Grad.Span.Fill(-1f);
        new Sgd(parameters, 0.1).ZeroGrad();
        Assert.All(parameters, p => Assert.All(p.Grad.Data, g => Assert.Equal(0f, g)));
    }

    [Fact]
    public void Plain_sgd_step_is_param_minus_lr_times_grad()
    {
        var p = new Parameter("weight", new Shape(2));
        p.Load([1f, -2f]);
        p.Grad.Span[0] = 0.5f;
        p.Grad.Span[1] = 4f;
        new Sgd([p], 0.25).Step();
        Assert.Equal([1f - 0.125f, -3f], p.Value.Data);
    }
}
