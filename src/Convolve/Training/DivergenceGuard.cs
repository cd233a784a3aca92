using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Training;

/// <summary>
/// The NaN guard: keeps a copy of the model's buffers (BatchNorm statistics, which a forward pass
/// changes) from before each step, and builds the <see cref="TrainingDivergedException"/> for a bad
/// step after putting them back, so the whole model is as after the last good step.
/// </summary>
internal sealed class DivergenceGuard
{
    private readonly Tensor[] buffers;
    private readonly float[][] saved;
    private readonly Dictionary<Parameter, string> names = new(ReferenceEqualityComparer.Instance);

    public DivergenceGuard(Layer model)
    {
        buffers = [.. model.NamedBuffers().Select(b => b.Buffer)];
        saved = [.. buffers.Select(b => new float[b.Size])];
        foreach (var (name, parameter) in model.NamedParameters())
        {
            names.TryAdd(parameter, name);
        }
    }

    /// <summary>Copies the buffers before a step's forward pass.</summary>
    public void Save()
    {
        for (int i = 0; i < buffers.Length; i++)
        {
            buffers[i].Span.CopyTo(saved[i]);
        }
    }

    /// <summary>Restores the buffers and describes a step whose loss, or else gradient norm, is not finite.</summary>
    public TrainingDivergedException Diverged(StepPosition at, double loss, double? gradientNorm, IReadOnlyList<Parameter> parameters)
    {
        for (int i = 0; i < buffers.Length; i++)
        {
            saved[i].CopyTo(buffers[i].Span);
        }
        string what = gradientNorm is null
            ? $"the loss is {loss}"
            : $"the loss is {loss:G6} but the gradient norm is {gradientNorm} ({FirstNonFinite(parameters)})";
        string message = $"training diverged in {at}: {what}. The step was not applied: the parameters are as after the last good step. "
            + $"Lower the learning rate (this step's was {at.LearningRate:G6}) or clip the gradient norm.";
        return new TrainingDivergedException(message, at.Epoch, at.StepInEpoch, at.GlobalStep, loss, gradientNorm, at.LearningRate);
    }

    private string FirstNonFinite(IReadOnlyList<Parameter> parameters)
    {
        foreach (var parameter in parameters)
        {
            var grad = parameter.Grad.Span;
            for (int i = 0; i < grad.Length; i++)
            {
                if (!float.IsFinite(grad[i]))
                {
                    string name = names.GetValueOrDefault(parameter, parameter.Name);
                    return $"the gradient of '{name}' {parameter.Shape} is {grad[i]} at element {i}";
                }
            }
        }
        return "the sum of squares overflows";
    }
}
