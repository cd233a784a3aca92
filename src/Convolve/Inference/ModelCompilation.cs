using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Inference;

/// <summary><c>model.Compile(inputShape)</c>, the short form of <see cref="EvaluationPlan.Compile"/>.</summary>
public static class ModelCompilation
{
    /// <summary>Compiles the evaluation-mode <paramref name="model"/> for inputs of <paramref name="inputShape"/> (see <see cref="EvaluationPlan"/>).</summary>
    public static EvaluationPlan Compile(this Layer model, Shape inputShape) => EvaluationPlan.Compile(model, inputShape);
}
