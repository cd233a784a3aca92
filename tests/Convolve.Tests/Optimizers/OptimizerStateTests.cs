using Convolve.Layers;
using Convolve.Optimizers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Optimizers;

/// <summary>State capture and restore: names, validation, and exact resume.</summary>
public class OptimizerStateTests
{
    private static readonly Shape[] Shapes = [new Shape(4, 3), new Shape(5)];

    private static Parameter[] Parameters()
    {
        var parameters = Shapes.Select((s, i) => new Parameter(i == 0 ? "weight" : "bias", s)).ToArray();
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i].Load(Tensor.RandomNormal(parameters[i].Shape, (ulong)(10 + i)).Data);
        }
        return parameters;
    }

    public static TheoryData<string> Kinds => ["sgd", "sgd_momentum", "adam", "adam_amsgrad", "adamw"];

    private static Optimizer Create(string kind, Parameter[] parameters) => kind switch
    {
        "sgd" => new Sgd(parameters, 0.1, weightDecay: 0.01),
        "sgd_momentum" => new Sgd(parameters, 0.05, momentum: 0.9, nesterov: true),
        "adam" => new Adam(parameters, 0.01, weightDecay: 0.1),
        "adam_amsgrad" => new Adam(parameters, 0.01, amsgrad: true),
        "adamw" => new AdamW(parameters, 0.01, amsgrad: true),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static void RunSteps(Optimizer optimizer, Parameter[] parameters, int from, int to)
    {
        for (int step = from; step < to; step++)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                Tensor.RandomNormal(parameters[i].Shape, (ulong)(1000 + 10 * step + i)).Data.CopyTo(parameters[i].Grad.Span);
            }
            optimizer.Step();
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Resuming_from_saved_state_is_bit_identical_to_an_uninterrupted_run(string kind)
    {
        var straight = Parameters();
        var straightOptimizer = Create(kind, straight);
        RunSteps(straightOptimizer, straight, 0, 7);

        var first = Parameters();
        var firstOptimizer = Create(kind, first);
        RunSteps(firstOptimizer, first, 0, 3);
        var saved = firstOptimizer.State();
        var savedValues = first.Select(p => p.Value.Clone()).ToArray();
        RunSteps(firstOptimizer, first, 3, 5); // the snapshot must not follow later steps

        var resumed = Parameters();
        for (int i = 0; i < resumed.Length; i++)
        {
            resumed[i].Load(savedValues[i].Data);
        }
        var resumedOptimizer = Create(kind, resumed);
        resumedOptimizer.LoadState(saved);
        Assert.Equal(3, resumedOptimizer.StepCount);
        RunSteps(resumedOptimizer, resumed, 3, 7);
        for (int i = 0; i < resumed.Length; i++)
        {
            TensorAssert.Identical(straight[i].Value.Data, resumed[i].Value.Data, $"{kind} parameter {i}");
        }
    }

    [Fact]
    public void State_names_follow_pytorch_keys_with_parameter_index()
    {
        Assert.Equal(["0.momentum_buffer", "1.momentum_buffer", "step"], Names(new Sgd(Parameters(), 0.1, momentum: 0.9)));
        Assert.Equal(["step"], Names(new Sgd(Parameters(), 0.1)));
        Assert.Equal(["0.exp_avg", "0.exp_avg_sq", "0.max_exp_avg_sq", "1.exp_avg", "1.exp_avg_sq", "1.max_exp_avg_sq", "step"],
            Names(new Adam(Parameters(), amsgrad: true)));
        var adam = new Adam(Parameters());
        RunSteps(adam, adam.Parameters.ToArray(), 0, 2);
        var state = adam.State();
        Assert.Equal([2f], state["step"].Data);
        Assert.Equal(Shapes[0], state["0.exp_avg"].Shape);
        Assert.Equal(Shapes[1], state["1.exp_avg_sq"].Shape);
    }

    [Fact]
    public void First_sgd_step_after_restore_at_step_zero_copies_the_gradient_into_the_buffer()
    {
        var parameters = Parameters();
        var sgd = new Sgd(parameters, 0.1, momentum: 0.9);
        sgd.LoadState(new Sgd(Parameters(), 0.1, momentum: 0.9).State());
        RunSteps(sgd, parameters, 0, 1);
        TensorAssert.Identical(parameters[0].Grad.Data, sgd.State()["0.momentum_buffer"].Data, "buffer after first step");
    }

    [Fact]
    public void Load_refuses_missing_unexpected_and_misshapen_entries_and_changes_nothing()
    {
        var adam = new Adam(Parameters(), amsgrad: true);
        RunSteps(adam, adam.Parameters.ToArray(), 0, 2);
        var before = adam.State();

        var missing = Copy(before);
        missing.Remove("1.max_exp_avg_sq");
        missing["3.exp_avg"] = Tensor.Zeros(5);
        var ex = Assert.Throws<ArgumentException>(() => adam.LoadState(missing));
        Assert.Contains("missing [1.max_exp_avg_sq], unexpected [3.exp_avg]", ex.Message, StringComparison.Ordinal);

        var misshapen = Copy(before);
        misshapen["0.exp_avg"] = Tensor.Full(new Shape(3, 4), 9f);
        misshapen["step"] = Tensor.FromArray([40f], 1);
        ex = Assert.Throws<ArgumentException>(() => adam.LoadState(misshapen));
        Assert.Contains("'0.exp_avg' has shape [3, 4] but its parameter 'weight' has shape [4, 3]", ex.Message, StringComparison.Ordinal);

        foreach (float bad in new[] { -1f, 2.5f, float.NaN, 1e9f })
        {
            var badStep = Copy(before);
            badStep["step"] = Tensor.FromArray([bad], 1);
            badStep["1.exp_avg"] = Tensor.Full(new Shape(5), 7f);
            ex = Assert.Throws<ArgumentException>(() => adam.LoadState(badStep));
            Assert.Contains($"whole number in [0, 16777216] but got {bad}", ex.Message, StringComparison.Ordinal);
        }
        Assert.Equal(2, adam.StepCount);
        var after = adam.State();
        foreach (var (name, tensor) in before)
        {
            TensorAssert.Identical(tensor.Data, after[name].Data, name);
        }
    }

    private static string[] Names(Optimizer optimizer) => optimizer.State().Keys.Order(StringComparer.Ordinal).ToArray();

    private static Dictionary<string, Tensor> Copy(IReadOnlyDictionary<string, Tensor> state) =>
        state.ToDictionary(kv => kv.Key, kv => kv.Value.Clone(), StringComparer.Ordinal);
}
