using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Optimizers;

/// <summary>Checks a checkpointed optimizer state against what an optimizer expects, before anything is loaded.</summary>
internal static class OptimizerState
{
    /// <summary>Validates names, shapes and the step entry; returns the step count.</summary>
    public static long Validate(IReadOnlyDictionary<string, Tensor> state, IReadOnlyList<(string Name, Parameter Owner)> expected, long maxStep)
    {
        var expectedNames = new HashSet<string>(StringComparer.Ordinal) { Optimizer.StepStateName };
        foreach (var (name, _) in expected)
        {
            expectedNames.Add(name);
        }
        var missing = expectedNames.Where(name => !state.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        var unexpected = state.Keys.Where(name => !expectedNames.Contains(name)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            throw new ArgumentException(
                $"optimizer state does not match: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}]; "
                + $"expected [{string.Join(", ", expectedNames.Order(StringComparer.Ordinal))}]", nameof(state));
        }
        foreach (var (name, owner) in expected)
        {
            var tensor = state[name] ?? throw new ArgumentException($"optimizer state '{name}' is null", nameof(state));
            if (tensor.Shape != owner.Shape)
            {
                throw new ArgumentException(
                    $"optimizer state '{name}' has shape {tensor.Shape} but its parameter '{owner.Name}' has shape {owner.Shape}", nameof(state));
            }
        }
        return StepCount(state[Optimizer.StepStateName], maxStep);
    }

    private static long StepCount(Tensor? step, long maxStep)
    {
        if (step is null || step.Size != 1)
        {
            throw new ArgumentException(
                $"optimizer state '{Optimizer.StepStateName}' must hold one value but has shape {step?.Shape.ToString() ?? "null"}", "state");
        }
        float value = step.Data[0];
        if (!(value >= 0 && value <= maxStep) || value != MathF.Floor(value))
        {
            throw new ArgumentException(
                $"optimizer state '{Optimizer.StepStateName}' must be a whole number in [0, {maxStep}] but got {value}", "state");
        }
        return (long)value;
    }
}
