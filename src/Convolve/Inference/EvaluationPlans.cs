using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Inference;

/// <summary>
/// The plans of one model for the input shapes met during one evaluation (a full batch and the shorter
/// last one), each compiled the first time its shape comes. Built per evaluation, so every plan holds
/// the weights of the moment it runs.
/// </summary>
public sealed class EvaluationPlans(Layer model)
{
    private readonly Dictionary<Shape, EvaluationPlan> plans = [];

    /// <summary>The evaluation-mode output for <paramref name="input"/>, from the plan of its shape (valid until that plan runs again).</summary>
    public Tensor Run(Tensor input)
    {
        if (!plans.TryGetValue(input.Shape, out EvaluationPlan? plan))
        {
            plan = EvaluationPlan.Compile(model, input.Shape);
            plans[input.Shape] = plan;
        }
        return plan.Run(input);
    }
}
