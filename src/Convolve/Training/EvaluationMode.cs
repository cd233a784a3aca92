using Convolve.Layers;

namespace Convolve.Training;

/// <summary>Puts a model in evaluation mode until disposed, then restores the mode it had.</summary>
internal readonly struct EvaluationMode : IDisposable
{
    private readonly Layer model;
    private readonly bool wasTraining;

    private EvaluationMode(Layer model)
    {
        this.model = model;
        wasTraining = model.IsTraining;
        model.Eval();
    }

    /// <summary>Switches <paramref name="model"/> to evaluation mode.</summary>
    public static EvaluationMode Enter(Layer model) => new(model);

    /// <summary>Restores the previous mode.</summary>
    public void Dispose() => model.SetTraining(wasTraining);
}
