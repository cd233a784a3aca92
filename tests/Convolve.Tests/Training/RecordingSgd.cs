using Convolve.Layers;
using Convolve.Optimizers;

namespace Convolve.Tests.Training;

/// <summary>Plain SGD (p ← p − lr·g) that records the learning rate in force at each of its steps.</summary>
internal sealed class RecordingSgd(IEnumerable<Parameter> parameters, double learningRate) : Optimizer(parameters, learningRate)
{
    public List<double> Rates { get; } = [];

    protected override void Update(int index, Parameter parameter)
    {
        if (index == 0)
        {
            Rates.Add(LearningRate);
        }
        var value = parameter.Value.Span;
        var grad = parameter.Grad.Span;
        for (int i = 0; i < value.Length; i++)
        {
            value[i] -= (float)LearningRate * grad[i];
        }
    }
}
