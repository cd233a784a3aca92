using Convolve.Tensors;

namespace Convolve.Inference;

/// <summary>
/// One step of an <see cref="EvaluationPlan"/>: computes what one layer, or a run of fused layers,
/// computes in evaluation mode, for the one input shape the plan was compiled for, into buffers it
/// allocated when it was built.
/// </summary>
internal abstract class PlanStep
{
    private protected PlanStep(string description, Shape outputShape)
    {
        Description = description;
        OutputShape = outputShape;
    }

    /// <summary>What the step computes, e.g. <c>Conv2d + BatchNorm2d + ReLU (Direct)</c>.</summary>
    public string Description { get; }

    /// <summary>The shape of the tensor <see cref="Run"/> returns.</summary>
    public Shape OutputShape { get; }

    /// <summary>
    /// Computes the step's output for <paramref name="input"/>. The result is the step's own buffer (valid
    /// until it runs again), a view of the input (Flatten) or the input itself (Dropout); never written by a later step.
    /// </summary>
    public abstract Tensor Run(Tensor input);

    /// <summary>Runs <paramref name="steps"/> in order.</summary>
    public static Tensor RunAll(PlanStep[] steps, Tensor input)
    {
        Tensor x = input;
        foreach (PlanStep step in steps)
        {
            x = step.Run(x);
        }
        return x;
    }
}
